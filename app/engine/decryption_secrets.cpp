// SPDX-License-Identifier: GPL-2.0-or-later
#include "decryption_secrets.h"

#include "capture_file.h"
#include "error.h"

namespace ss {
namespace {

thread_local std::function<void(SecretsBlock)>* currentSink = nullptr;

void onSecrets(guint32 type, const void* secrets, guint size)
{
    if (currentSink && secrets)
        (*currentSink)(SecretsBlock{type, std::string(static_cast<const char*>(secrets), size)});
}

} // namespace

SecretsListener::SecretsListener(CaptureFile& file, std::function<void(SecretsBlock)> sink)
    : file_(file), sink_(std::move(sink))
{
    if (currentSink)
        throw EngineError("listen for decryption secrets", file.path(), "another file's secrets are being read");
    currentSink = &sink_;
    wtap_set_cb_new_secrets(file_.handle(), onSecrets);
}

SecretsListener::~SecretsListener()
{
    wtap_set_cb_new_secrets(file_.handle(), nullptr);
    currentSink = nullptr;
}

std::vector<SecretsBlock> readSecretsBlocks(const std::string& path, std::string* readError)
{
    std::vector<SecretsBlock> blocks;
    std::unique_ptr<CaptureFile> file = CaptureFile::open(path, false);
    {
        SecretsListener listener(*file, [&blocks](SecretsBlock b) { blocks.push_back(std::move(b)); });
        WtapRecord record;
        gint64 offset = 0;
        while (file->readNext(record, &offset))
            record.reset();
    }
    if (file->failed() && readError)
        *readError = file->errorMessage();
    return blocks;
}

} // namespace ss
