// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "capture_file.h"
#include "conversation_tap.h"
#include "dissection_session.h"
#include "error.h"
#include "follow_tap.h"
#include "test_support.h"

using namespace ss;

namespace {

// Dissects every packet of a file with taps running, as a single pass does.
void dissectAll(const std::string& path)
{
    auto file = CaptureFile::open(path, false);
    DissectionSession session(testRuntime(), *file);
    Dissection dissection(session, have_filtering_tap_listeners(), false);
    WtapRecord record;
    gint64 offset = 0;
    guint32 n = 0;
    while (file->readNext(record, &offset)) {
        frame_data fd;
        frame_data_init(&fd, ++n, record.rec(), offset, session.cumBytes());
        session.beforeDissect(&fd);
        epan_dissect_run_with_taps(dissection.get(), session.fileType(), record.rec(),
                                   tvb_new_real_data(record.data(), fd.cap_len, fd.pkt_len), &fd, nullptr);
        session.afterDissect(&fd);
        session.setPrevDisplayed(&fd);
        session.setPrevCaptured(&fd);
        dissection.reset();
        frame_data_destroy(&fd);
        record.reset();
    }
}

} // namespace

TEST_CASE("the TCP conversation table counts every TCP frame once")
{
    ConversationTap tap("tcp", "");
    CHECK(tap.typeName() == "TCP");
    dissectAll(fixture("ssh.pcap"));
    REQUIRE(tap.count() == 1);
    CHECK(tap.item(0).rx_frames + tap.item(0).tx_frames == 54);
}

TEST_CASE("a conversation tap with a filter counts only matching frames")
{
    ConversationTap tap("tcp", "tcp.len > 0");
    dissectAll(fixture("ssh.pcap"));
    REQUIRE(tap.count() == 1);
    CHECK(tap.item(0).rx_frames + tap.item(0).tx_frames < 54);
}

TEST_CASE("unknown conversation tables and bad tap filters are refused")
{
    CHECK_THROWS_AS(ConversationTap("nosuchproto", ""), EngineError);
    CHECK_THROWS_AS(ConversationTap("tcp", "tcp.port =="), EngineError);
}

TEST_CASE("following TCP stream 0 collects both directions of the HTTP session")
{
    FollowTap tap("tcp", FollowTap::indexFilter("tcp", 0, 0));
    CHECK(tap.info().filter_out_filter == std::string("tcp.stream eq 0"));
    dissectAll(fixture("print-flags.pcap"));
    CHECK(tap.info().bytes_written[0] > 0);  // client
    CHECK(tap.info().bytes_written[1] > 5000); // server: the 5.5 KB page
    bool sawGet = false;
    for (GList* cur = tap.info().payload; cur; cur = cur->next) {
        auto* rec = static_cast<follow_record_t*>(cur->data);
        std::string data(reinterpret_cast<const char*>(rec->data->data), rec->data->len);
        if (!rec->is_server && data.rfind("GET / HTTP/1.1", 0) == 0)
            sawGet = true;
    }
    CHECK(sawGet);
}

TEST_CASE("following an unknown protocol is refused")
{
    CHECK_THROWS_AS(FollowTap::indexFilter("nosuchproto", 0, 0), EngineError);
}
