// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>

#include "epan_includes.h"
#include "options.h"

namespace ss::cli {

// RAII output_fields_t (-e / -E).
class OutputFields {
public:
    OutputFields() : fields_(output_fields_new()) {}
    ~OutputFields() { output_fields_free(fields_); }
    OutputFields(const OutputFields&) = delete;
    OutputFields& operator=(const OutputFields&) = delete;
    output_fields_t* get() const { return fields_; }

private:
    output_fields_t* fields_;
};

// Prints dissected packets in the format -T/-V/-x asked for, byte for byte as tshark 4.0:
// the tree, JSON, PDML, EK and field writers are epan's own; the one-line summary is
// formatted here the way tshark formats it.
class PacketPrinter {
public:
    PacketPrinter(const ReadOptions& options, column_info* columns, output_fields_t* fields);
    ~PacketPrinter();
    PacketPrinter(const PacketPrinter&) = delete;
    PacketPrinter& operator=(const PacketPrinter&) = delete;

    bool preamble(const std::string& fileName);
    bool print(epan_dissect_t* edt);
    bool finale();

    // True when printing needs the column texts filled in.
    bool wantsColumns() const;

private:
    bool printSummaryLine();

    const ReadOptions& options_;
    column_info* columns_;
    output_fields_t* fields_;
    print_stream_t* stream_ = nullptr;
    json_dumper json_{};
    GHashTable* outputOnly_ = nullptr;
    std::string line_;
};

} // namespace ss::cli
