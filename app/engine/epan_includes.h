// SPDX-License-Identifier: GPL-2.0-or-later
// The only place that includes libwireshark's C headers. Headers that lack their own
// extern "C" guard are wrapped here (see docs/ARCHITECTURE.md, "epan seam").
#pragma once

#include <glib.h>

#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/column.h>
#include <epan/column-info.h>
#include <epan/color_filters.h>
#include <epan/dfilter/dfilter.h>
#include <epan/expert.h>
#include <epan/frame_data.h>
#include <epan/frame_data_sequence.h>
#include <epan/prefs.h>
#include <epan/print.h>
#include <epan/tap.h>
#include <epan/timestamp.h>
#include <epan/addr_resolv.h>
#include <epan/charsets.h>
#include <epan/conversation_table.h>
#include <epan/conversation_filter.h>
#include <epan/disabled_protos.h>
#include <epan/follow.h>
#include <epan/proto.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/stats_tree_priv.h>
#include <epan/secrets.h>
#include <wiretap/wtap.h>
#include <wiretap/pcap-encap.h>
#include <wiretap/merge.h>
#include <wiretap/secrets-types.h>
#include <wsutil/buffer.h>
#include <wsutil/filesystem.h>
#include <wsutil/privileges.h>
#include <wsutil/report_message.h>
#include <wsutil/wslog.h>
#include <wsutil/str_util.h>
#include <wsutil/utf8_entities.h>
