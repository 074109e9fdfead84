// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_file.h"

#include "error.h"

#include <cerrno>

namespace ss {

WtapRecord::WtapRecord()
{
    wtap_rec_init(&rec_);
    ws_buffer_init(&buf_, 1514);
}

WtapRecord::~WtapRecord()
{
    ws_buffer_free(&buf_);
    wtap_rec_cleanup(&rec_);
}

namespace {

std::string withInfo(std::string text, const char* errInfo)
{
    text += "\n(";
    text += errInfo ? errInfo : "no information supplied";
    text += ")";
    return text;
}

} // namespace

std::string describeOpenError(const std::string& path, int err, const char* errInfo)
{
    const std::string file = "file \"" + path + "\"";
    if (err < 0) {
        switch (err) {
        case WTAP_ERR_NOT_REGULAR_FILE:
            return "The " + file + " is a \"special file\" or socket or other non-regular file.";
        case WTAP_ERR_RANDOM_OPEN_PIPE:
            return "The " + file + " is a pipe or FIFO; it can't be read in two-pass mode.";
        case WTAP_ERR_FILE_UNKNOWN_FORMAT:
            return "The " + file + " isn't a capture file in a format stratoshark understands.";
        case WTAP_ERR_UNSUPPORTED:
            return withInfo("The " + file + " contains record data that stratoshark doesn't support.", errInfo);
        case WTAP_ERR_ENCAP_PER_PACKET_UNSUPPORTED:
            return "The " + file + " is a capture for a network type that stratoshark doesn't support.";
        case WTAP_ERR_BAD_FILE:
            return withInfo("The " + file + " appears to be damaged or corrupt.", errInfo);
        case WTAP_ERR_CANT_OPEN:
            return "The " + file + " could not be opened for some unknown reason.";
        case WTAP_ERR_SHORT_READ:
            return "The " + file + " appears to have been cut short in the middle of a packet or other data.";
        case WTAP_ERR_DECOMPRESS:
            return withInfo("The " + file + " cannot be decompressed; it may be damaged or corrupt.", errInfo);
        default:
            return "The " + file + " could not be opened: " + wtap_strerror(err) + ".";
        }
    }
    switch (err) {
    case ENOENT:
        return "The file \"" + path + "\" doesn't exist.";
    case EACCES:
        return "You don't have permission to read the file \"" + path + "\".";
    case EISDIR:
        return "\"" + path + "\" is a directory (folder), not a file.";
    default:
        return "The file \"" + path + "\" could not be opened: " + g_strerror(err) + ".";
    }
}

std::string describeReadError(const std::string& path, int err, const char* errInfo)
{
    const std::string file = "file \"" + path + "\"";
    switch (err) {
    case WTAP_ERR_UNSUPPORTED:
        return withInfo("The " + file + " contains record data that stratoshark doesn't support.", errInfo);
    case WTAP_ERR_SHORT_READ:
        return "The " + file + " appears to have been cut short in the middle of a packet.";
    case WTAP_ERR_BAD_FILE:
        return withInfo("The " + file + " appears to be damaged or corrupt.", errInfo);
    case WTAP_ERR_DECOMPRESS:
        return withInfo("The " + file + " cannot be decompressed; it may be damaged or corrupt.", errInfo);
    default:
        return "An error occurred while reading the " + file + ": " + wtap_strerror(err) + ".";
    }
}

std::unique_ptr<CaptureFile> CaptureFile::open(const std::string& path, bool randomAccess)
{
    int err = 0;
    gchar* errInfo = nullptr;
    wtap* wth = wtap_open_offline(path.c_str(), WTAP_TYPE_AUTO, &err, &errInfo, randomAccess);
    if (!wth) {
        std::string message = describeOpenError(path, err, errInfo);
        g_free(errInfo);
        throw EngineError("open capture", path, message);
    }
    return std::unique_ptr<CaptureFile>(new CaptureFile(wth, path));
}

CaptureFile::~CaptureFile()
{
    wtap_close(wth_);
}

bool CaptureFile::readNext(WtapRecord& record, gint64* offset)
{
    gchar* errInfo = nullptr;
    if (wtap_read(wth_, record.rec(), record.buf(), &err_, &errInfo, offset))
        return true;
    if (errInfo) {
        errInfo_ = errInfo;
        g_free(errInfo);
    }
    return false;
}

std::string CaptureFile::errorMessage() const
{
    return err_ ? describeReadError(path_, err_, errInfo_.empty() ? nullptr : errInfo_.c_str()) : std::string();
}

void CaptureFile::seekRead(gint64 offset, WtapRecord& record, std::uint32_t frameNumber)
{
    int err = 0;
    gchar* errInfo = nullptr;
    if (!wtap_seek_read(wth_, offset, record.rec(), record.buf(), &err, &errInfo)) {
        std::string message = describeReadError(path_, err, errInfo);
        g_free(errInfo);
        throw EngineError("re-read frame " + std::to_string(frameNumber), path_, message);
    }
}

} // namespace ss
