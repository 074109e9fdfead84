// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_writer.h"

#include "capture_file.h"
#include "error.h"

#include <cstring>

namespace ss {
namespace {

std::string dumpError(int err, gchar* errInfo)
{
    std::string text = err > 0 ? g_strerror(err) : wtap_strerror(err);
    if (errInfo) {
        text += std::string(" (") + errInfo + ")";
        g_free(errInfo);
    }
    return text;
}

} // namespace

CaptureWriter::CaptureWriter(const std::string& path, CaptureFile& source, int fileType)
    : path_(path), source_(source)
{
    const int type = fileType < 0 ? wtap_pcapng_file_type_subtype() : fileType;
    wtap_dump_params& params = params_;
    wtap_dump_params_init_no_idbs(&params, source.handle());
    // pcapng in, pcapng out: per-packet encapsulation, interfaces added as they are read.
    wtapng_iface_descriptions_t placeholder{};
    bool placeholderInserted = false;
    if (params.encap == WTAP_ENCAP_UNKNOWN && type == wtap_pcapng_file_type_subtype()) {
        params.encap = WTAP_ENCAP_PER_PACKET;
        params.dont_copy_idbs = true;
        if (params.idb_inf->interface_data) {
            g_array_insert_val(params.idb_inf->interface_data, 0, placeholder);
            placeholderInserted = true;
        }
    }
    if (params.shb_hdrs && params.shb_hdrs->len > 0) {
        wtap_block_t shb = g_array_index(params.shb_hdrs, wtap_block_t, 0);
        char* userAppl = nullptr;
        if (wtap_block_get_string_option_value(shb, OPT_SHB_USERAPPL, &userAppl) != WTAP_OPTTYPE_SUCCESS)
            wtap_block_add_string_option_format(shb, OPT_SHB_USERAPPL, "%s", "Stratoshark " PROJECT_VERSION);
    }

    int err = 0;
    gchar* errInfo = nullptr;
    dumper_ = path == "-" ? wtap_dump_open_stdout(type, WTAP_UNCOMPRESSED, &params, &err, &errInfo)
                          : wtap_dump_open(path.c_str(), type, WTAP_UNCOMPRESSED, &params, &err, &errInfo);
    if (placeholderInserted)
        g_array_remove_index(params.idb_inf->interface_data, 0);
    g_free(params.idb_inf);
    params.idb_inf = nullptr;
    if (!dumper_) {
        wtap_dump_params_cleanup(&params);
        throw EngineError("open output capture", path, dumpError(err, errInfo));
    }
}

CaptureWriter::~CaptureWriter()
{
    if (dumper_) {
        int err = 0;
        gchar* errInfo = nullptr;
        wtap_dump_close(dumper_, nullptr, &err, &errInfo);
        g_free(errInfo);
        wtap_dump_params_cleanup(&params_);
    }
}

void CaptureWriter::addNewInterfaces()
{
    while (wtap_block_t idb = wtap_get_next_interface_description(source_.handle())) {
        int err = 0;
        gchar* errInfo = nullptr;
        if (wtap_file_type_subtype_supports_block(wtap_dump_file_type_subtype(dumper_), WTAP_BLOCK_IF_ID_AND_INFO) ==
            BLOCK_NOT_SUPPORTED)
            continue;
        if (!wtap_dump_add_idb(dumper_, idb, &err, &errInfo))
            throw EngineError("write interface block", path_, dumpError(err, errInfo));
    }
}

void CaptureWriter::write(const wtap_rec* rec, const guint8* data, guint32 frameNumber)
{
    int err = 0;
    gchar* errInfo = nullptr;
    if (!wtap_dump(dumper_, rec, data, &err, &errInfo))
        throw EngineError("write frame " + std::to_string(frameNumber), path_, dumpError(err, errInfo));
}

void CaptureWriter::close()
{
    if (!dumper_)
        return;
    int err = 0;
    gchar* errInfo = nullptr;
    const bool ok = wtap_dump_close(dumper_, nullptr, &err, &errInfo);
    dumper_ = nullptr;
    wtap_dump_params_cleanup(&params_);
    if (!ok)
        throw EngineError("close output capture", path_, dumpError(err, errInfo));
}

} // namespace ss

namespace ss {

std::size_t exportFrames(const std::string& inputPath, const std::string& outputPath,
                         const std::function<bool(std::uint32_t)>& keep, int fileType,
                         const std::function<wtap_block_t(std::uint32_t)>& changedBlock)
{
    auto in = CaptureFile::open(inputPath, false);
    CaptureWriter writer(outputPath, *in, fileType);
    WtapRecord record;
    gint64 offset = 0;
    std::uint32_t frame = 0;
    std::size_t written = 0;
    while (in->readNext(record, &offset)) {
        writer.addNewInterfaces();
        if (keep(++frame)) {
            wtap_block_t changed = changedBlock ? changedBlock(frame) : nullptr;
            if (changed) {
                wtap_rec rec = *record.rec(); // the record's own block stays the record's
                rec.block = changed;
                rec.block_was_modified = TRUE;
                writer.write(&rec, record.data(), frame);
            } else {
                writer.write(record.rec(), record.data(), frame);
            }
            ++written;
        }
        record.reset();
    }
    writer.close();
    if (in->failed())
        throw EngineError("export packets", inputPath, in->errorMessage());
    return written;
}

void mergeCaptures(const std::vector<std::string>& inputs, const std::string& outputPath, bool append)
{
    std::vector<const char*> names;
    for (const std::string& in : inputs)
        names.push_back(in.c_str());
    int err = 0;
    gchar* errInfo = nullptr;
    guint errFile = 0;
    guint32 errFrame = 0;
    const merge_result result =
        merge_files(outputPath.c_str(), wtap_pcapng_file_type_subtype(), names.data(), guint(names.size()), append,
                    IDB_MERGE_MODE_ALL_SAME, 0, "Stratoshark " PROJECT_VERSION, nullptr, &err, &errInfo, &errFile,
                    &errFrame);
    if (result == MERGE_OK)
        return;
    const bool inputFailed = result == MERGE_ERR_CANT_OPEN_INFILE || result == MERGE_ERR_CANT_READ_INFILE ||
                             result == MERGE_ERR_BAD_PHDR_INTERFACE_ID;
    const std::string object = inputFailed && errFile < inputs.size() ? inputs[errFile] : outputPath;
    std::string step = inputFailed ? "read for merging" : "write merged capture";
    if (errFrame)
        step += " (frame " + std::to_string(errFrame) + ")";
    throw EngineError(step, object, dumpError(err, errInfo));
}

} // namespace ss
