// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_search.h"

#include "capture_session.h"
#include "display_filter.h"
#include "models/item_label.h"
#include "models/packet_list_model.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <functional>

namespace ss::ui {
namespace {

// "00:1c", "00 1c 2a", "001c2a", "0x00,0x1c": pairs of hex digits, separators ignored.
bool parseHex(const QString& text, QByteArray* out)
{
    QString digits;
    for (const QString& part : text.split(QRegularExpression("[\\s:,.-]+"), Qt::SkipEmptyParts))
        digits += part.startsWith("0x", Qt::CaseInsensitive) ? part.mid(2) : part;
    if (digits.isEmpty() || digits.size() % 2 != 0 || digits.contains(QRegularExpression("[^0-9A-Fa-f]")))
        return false;
    *out = QByteArray::fromHex(digits.toLatin1());
    return true;
}

QByteArray lowerAscii(QByteArray bytes)
{
    for (char& c : bytes)
        c = char(g_ascii_tolower(c));
    return bytes;
}

bool visitLabels(proto_node* node, const std::function<bool(const QString&)>& test)
{
    for (proto_node* child = node->first_child; child; child = child->next) {
        field_info* fi = PNODE_FINFO(child);
        if (!fi || proto_item_is_hidden(child))
            continue;
        if (test(itemLabel(fi)) || visitLabels(child, test))
            return true;
    }
    return false;
}

} // namespace

PacketSearch::PacketSearch(CaptureSession& session, PacketListModel& model, QObject* parent)
    : QObject(parent), session_(session), model_(model)
{
}

PacketSearch::~PacketSearch() = default;

bool PacketSearch::start(const SearchSpec& spec, int fromRow, bool forward, QString* error)
{
    cancel();
    spec_ = spec;
    filter_.reset();
    needle_.clear();
    switch (spec.kind) {
    case SearchSpec::Kind::DisplayFilter: {
        DisplayFilter::Error e;
        filter_ = DisplayFilter::compile(spec.text.trimmed().toStdString(), &e);
        if (!filter_) {
            *error = e.message.empty() ? tr("Enter a display filter") : QString::fromStdString(e.message);
            return false;
        }
        break;
    }
    case SearchSpec::Kind::Hex:
        if (!parseHex(spec.text, &needle_)) {
            *error = tr("\"%1\" is not a hex value (pairs of hex digits, e.g. 00:1c:2a)").arg(spec.text);
            return false;
        }
        break;
    case SearchSpec::Kind::String:
        if (spec.text.isEmpty()) {
            *error = tr("Enter a string to find");
            return false;
        }
        if (spec.wide) {
            const QString t = spec.caseSensitive ? spec.text : spec.text.toLower();
            needle_ = QByteArray(reinterpret_cast<const char*>(t.utf16()), int(t.size() * 2));
        } else {
            needle_ = spec.caseSensitive ? spec.text.toUtf8() : lowerAscii(spec.text.toUtf8());
        }
        break;
    case SearchSpec::Kind::Regex:
        regex_ = QRegularExpression(spec.text, spec.caseSensitive ? QRegularExpression::NoPatternOption
                                                                   : QRegularExpression::CaseInsensitiveOption);
        if (spec.text.isEmpty() || !regex_.isValid()) {
            *error = tr("Bad regular expression: %1").arg(regex_.errorString());
            return false;
        }
        break;
    }
    if (model_.rowCount() == 0 || !session_.capture()) {
        emit notFound();
        return true;
    }
    forward_ = forward;
    row_ = fromRow < 0 && !forward ? model_.rowCount() : fromRow;
    visited_ = 0;
    running_ = true;
    QTimer::singleShot(0, this, [this, g = generation_] {
        if (g == generation_)
            slice();
    });
    return true;
}

void PacketSearch::cancel()
{
    ++generation_;
    running_ = false;
}

bool PacketSearch::matches(std::uint32_t frame)
{
    RandomAccessCapture::Request request;
    const bool needsTree = spec_.kind == SearchSpec::Kind::DisplayFilter ||
                           (spec_.kind == SearchSpec::Kind::String && spec_.where == SearchSpec::Where::Details);
    request.tree = needsTree;
    request.visibleTree = spec_.kind != SearchSpec::Kind::DisplayFilter;
    request.columns = spec_.kind == SearchSpec::Kind::String && spec_.where == SearchSpec::Where::List;
    request.filter = filter_ ? filter_->get() : nullptr;
    const Qt::CaseSensitivity cs = spec_.caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive;
    bool hit = false;
    try {
        session_.capture()->dissect(frame, request, [&](const RandomAccessCapture::Packet& p) {
            const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(p.bytes), int(p.length));
            switch (spec_.kind) {
            case SearchSpec::Kind::DisplayFilter:
                hit = p.matched;
                break;
            case SearchSpec::Kind::Hex:
                hit = bytes.contains(needle_);
                break;
            case SearchSpec::Kind::Regex:
                hit = regex_.match(QString::fromLatin1(bytes)).hasMatch();
                break;
            case SearchSpec::Kind::String:
                if (spec_.where == SearchSpec::Where::List) {
                    for (int i = 0; i < p.columns->num_cols && !hit; ++i)
                        hit = QString::fromUtf8(get_column_text(p.columns, i)).contains(spec_.text, cs);
                } else if (spec_.where == SearchSpec::Where::Details) {
                    hit = p.edt->tree &&
                          visitLabels(p.edt->tree, [&](const QString& label) { return label.contains(spec_.text, cs); });
                } else if (spec_.caseSensitive) {
                    hit = bytes.contains(needle_);
                } else if (spec_.wide) {
                    QString asText = QString::fromUtf16(reinterpret_cast<const char16_t*>(bytes.constData()),
                                                        bytes.size() / 2).toLower();
                    QString shifted = QString::fromUtf16(reinterpret_cast<const char16_t*>(bytes.constData() + 1),
                                                         std::max<qsizetype>(0, (bytes.size() - 1) / 2)).toLower();
                    const QString t = spec_.text.toLower();
                    hit = asText.contains(t) || shifted.contains(t);
                } else {
                    hit = lowerAscii(QByteArray(bytes)).contains(needle_);
                }
                break;
            }
        });
    } catch (const std::exception&) {
        return false; // a frame that cannot be re-read does not match
    }
    return hit;
}

void PacketSearch::slice()
{
    const int rows = model_.rowCount();
    QElapsedTimer clock;
    clock.start();
    while (visited_ < rows) {
        row_ = forward_ ? (row_ + 1) % rows : (row_ - 1 + rows) % rows;
        if (row_ < 0)
            row_ += rows;
        ++visited_;
        if (matches(model_.frameAt(row_))) {
            running_ = false;
            emit progress(100);
            emit found(row_);
            return;
        }
        if (clock.elapsed() >= sliceMs_)
            break;
    }
    if (visited_ >= rows) {
        running_ = false;
        emit progress(100);
        emit notFound();
        return;
    }
    emit progress(int(100LL * visited_ / rows));
    QTimer::singleShot(0, this, [this, g = generation_] {
        if (g == generation_)
            slice();
    });
}

} // namespace ss::ui
