// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

#include "epan_includes.h"

namespace ss::ui {

// A tree item's text as Wireshark shows it: the dissector's own representation, or epan's
// label for the field and its value.
inline QString itemLabel(field_info* fi)
{
    if (fi->rep)
        return QString::fromUtf8(fi->rep->representation);
    char text[ITEM_LABEL_LENGTH];
    proto_item_fill_label(fi, text);
    return QString::fromUtf8(text);
}

} // namespace ss::ui
