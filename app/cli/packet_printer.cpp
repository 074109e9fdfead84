// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_printer.h"

#include <cstdio>
#include <cstring>

namespace ss::cli {
namespace {

enum class ColumnKind { Number, Time, Source, Destination, Other };
enum class AddressLayer { None, Any, DataLink, Network };

ColumnKind kindOf(int fmt)
{
    switch (fmt) {
    case COL_NUMBER:
        return ColumnKind::Number;
    case COL_CLS_TIME: case COL_REL_TIME: case COL_ABS_TIME: case COL_ABS_YMD_TIME:
    case COL_ABS_YDOY_TIME: case COL_UTC_TIME: case COL_UTC_YMD_TIME: case COL_UTC_YDOY_TIME:
        return ColumnKind::Time;
    case COL_DEF_SRC: case COL_RES_SRC: case COL_UNRES_SRC:
    case COL_DEF_DL_SRC: case COL_RES_DL_SRC: case COL_UNRES_DL_SRC:
    case COL_DEF_NET_SRC: case COL_RES_NET_SRC: case COL_UNRES_NET_SRC:
        return ColumnKind::Source;
    case COL_DEF_DST: case COL_RES_DST: case COL_UNRES_DST:
    case COL_DEF_DL_DST: case COL_RES_DL_DST: case COL_UNRES_DL_DST:
    case COL_DEF_NET_DST: case COL_RES_NET_DST: case COL_UNRES_NET_DST:
        return ColumnKind::Destination;
    default:
        return ColumnKind::Other;
    }
}

AddressLayer layerOf(int fmt)
{
    switch (fmt) {
    case COL_DEF_SRC: case COL_RES_SRC: case COL_UNRES_SRC:
    case COL_DEF_DST: case COL_RES_DST: case COL_UNRES_DST:
        return AddressLayer::Any;
    case COL_DEF_DL_SRC: case COL_RES_DL_SRC: case COL_UNRES_DL_SRC:
    case COL_DEF_DL_DST: case COL_RES_DL_DST: case COL_UNRES_DL_DST:
        return AddressLayer::DataLink;
    case COL_DEF_NET_SRC: case COL_RES_NET_SRC: case COL_UNRES_NET_SRC:
    case COL_DEF_NET_DST: case COL_RES_NET_DST: case COL_UNRES_NET_DST:
        return AddressLayer::Network;
    default:
        return AddressLayer::None;
    }
}

void padLeft(std::string& line, const char* text, size_t width)
{
    const size_t len = std::strlen(text);
    if (len < width)
        line.append(width - len, ' ');
    line += text;
}

void padRight(std::string& line, const char* text, size_t width)
{
    const size_t len = std::strlen(text);
    line += text;
    if (len < width)
        line.append(width - len, ' ');
}

} // namespace

PacketPrinter::PacketPrinter(const ReadOptions& options, column_info* columns, output_fields_t* fields)
    : options_(options), columns_(columns), fields_(fields)
{
    if (options_.format == OutputFormat::Text)
        stream_ = print_stream_text_stdio_new(stdout);
    if (!options_.outputOnly.empty()) {
        outputOnly_ = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, nullptr);
        gchar** names = g_strsplit(options_.outputOnly.c_str(), ",", -1);
        for (gchar** n = names; *n; ++n)
            if (**n)
                g_hash_table_add(outputOnly_, g_strdup(*n));
        g_strfreev(names);
    }
}

PacketPrinter::~PacketPrinter()
{
    if (stream_)
        destroy_print_stream(stream_);
    if (outputOnly_)
        g_hash_table_destroy(outputOnly_);
}

bool PacketPrinter::wantsColumns() const
{
    return options_.printSummary || output_fields_has_cols(fields_);
}

bool PacketPrinter::preamble(const std::string& fileName)
{
    switch (options_.format) {
    case OutputFormat::Text:
        return print_preamble(stream_, const_cast<gchar*>(fileName.c_str()), nullptr);
    case OutputFormat::Pdml:
        write_pdml_preamble(stdout, fileName.c_str());
        break;
    case OutputFormat::Psml:
        write_psml_preamble(columns_, stdout);
        break;
    case OutputFormat::Fields:
        write_fields_preamble(fields_, stdout);
        break;
    case OutputFormat::Json:
    case OutputFormat::JsonRaw:
        json_ = write_json_preamble(stdout);
        break;
    case OutputFormat::Ek:
        break;
    }
    return !std::ferror(stdout);
}

bool PacketPrinter::finale()
{
    switch (options_.format) {
    case OutputFormat::Text:
        return print_finale(stream_);
    case OutputFormat::Pdml:
        write_pdml_finale(stdout);
        break;
    case OutputFormat::Psml:
        write_psml_finale(stdout);
        break;
    case OutputFormat::Fields:
        write_fields_finale(fields_, stdout);
        break;
    case OutputFormat::Json:
    case OutputFormat::JsonRaw:
        write_json_finale(&json_);
        break;
    case OutputFormat::Ek:
        break;
    }
    return !std::ferror(stdout);
}

bool PacketPrinter::printSummaryLine()
{
    line_.clear();
    const char* delim = options_.delimiter.c_str();
    for (int i = 0; i < columns_->num_cols; ++i) {
        if (!get_column_visible(i))
            continue;
        const int fmt = columns_->columns[i].col_fmt;
        const char* text = get_column_text(columns_, i);
        switch (kindOf(fmt)) {
        case ColumnKind::Number: padLeft(line_, text, 5); break;
        case ColumnKind::Time: padLeft(line_, text, 10); break;
        case ColumnKind::Source: padLeft(line_, text, 12); break;
        case ColumnKind::Destination: padRight(line_, text, 12); break;
        case ColumnKind::Other: line_ += text; break;
        }
        if (i == columns_->num_cols - 1)
            continue;
        // Between a source and the destination of the same layer an arrow, → or ←.
        const int next = columns_->columns[i + 1].col_fmt;
        const AddressLayer layer = layerOf(fmt);
        const char* arrow = nullptr;
        if (layer != AddressLayer::None && layer == layerOf(next)) {
            if (kindOf(fmt) == ColumnKind::Source && kindOf(next) == ColumnKind::Destination)
                arrow = UTF8_RIGHTWARDS_ARROW;
            else if (kindOf(fmt) == ColumnKind::Destination && kindOf(next) == ColumnKind::Source)
                arrow = UTF8_LEFTWARDS_ARROW;
        }
        line_ += delim;
        if (arrow) {
            line_ += arrow;
            line_ += delim;
        }
    }
    return print_line(stream_, 0, line_.c_str());
}

bool PacketPrinter::print(epan_dissect_t* edt)
{
    if (wantsColumns())
        epan_dissect_fill_in_columns(edt, FALSE, TRUE);
    const bool summary = options_.printSummary;
    const bool details = options_.printDetails;
    const bool hex = options_.printHex;
    switch (options_.format) {
    case OutputFormat::Text:
        if (summary && !printSummaryLine())
            return false;
        if (details) {
            if (!proto_tree_print(print_dissections_expanded, hex, edt, outputOnly_, stream_))
                return false;
            if (!hex && !print_line(stream_, 0, options_.separator.c_str()))
                return false;
        }
        break;
    case OutputFormat::Psml:
        write_psml_columns(edt, stdout, FALSE);
        return !std::ferror(stdout);
    case OutputFormat::Pdml:
        write_pdml_proto_tree(fields_, nullptr, PF_NONE, edt, columns_, stdout, FALSE);
        std::printf("\n");
        return !std::ferror(stdout);
    case OutputFormat::Fields:
        write_fields_proto_tree(fields_, edt, columns_, stdout);
        std::printf("\n");
        return !std::ferror(stdout);
    case OutputFormat::Json:
        write_json_proto_tree(fields_, print_dissections_expanded, hex, nullptr, PF_NONE, edt, columns_,
                              proto_node_group_children_by_unique, &json_);
        return !std::ferror(stdout);
    case OutputFormat::JsonRaw:
        write_json_proto_tree(fields_, print_dissections_none, TRUE, nullptr, PF_NONE, edt, columns_,
                              proto_node_group_children_by_unique, &json_);
        return !std::ferror(stdout);
    case OutputFormat::Ek:
        write_ek_proto_tree(fields_, summary, hex, nullptr, PF_NONE, edt, columns_, stdout);
        return !std::ferror(stdout);
    }
    if (hex) {
        if ((summary || details) && !print_line(stream_, 0, ""))
            return false;
        if (!print_hex_data(stream_, edt, HEXDUMP_SOURCE_MULTI | HEXDUMP_ASCII_INCLUDE))
            return false;
        if (!print_line(stream_, 0, options_.separator.c_str()))
            return false;
    }
    return true;
}

} // namespace ss::cli
