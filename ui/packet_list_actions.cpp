// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet_list_actions.h"

#include "capture_session.h"
#include "error.h"
#include "models/packet_list_model.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QPixmap>
#include <QTableView>

#include <algorithm>
#include <iterator>

namespace ss::ui {

using Flag = RandomAccessCapture::Flag;

PacketListActions::PacketListActions(CaptureSession& session, PacketListModel& model, QTableView& view,
                                     std::function<QString()> currentFilter, QWidget* window)
    : QObject(window), session_(session), model_(model), view_(view), currentFilter_(std::move(currentFilter)),
      window_(window)
{
}

std::uint32_t PacketListActions::currentFrame() const
{
    return model_.frameAt(view_.currentIndex().row());
}

void PacketListActions::addToEditMenu(QMenu* edit)
{
    // Wireshark's names and keys; the actions live on the window so the keys work anywhere.
    auto add = [&](const char* name, const QString& text, QKeySequence key, std::function<void()> run) {
        QAction* a = edit->addAction(text, window_, std::move(run));
        a->setObjectName(QString::fromLatin1(name));
        a->setShortcut(key);
        return a;
    };
    add("actionEditMarkPacket", tr("&Mark/Unmark Packet"), QKeySequence(Qt::CTRL | Qt::Key_M),
        [this] { toggle(Flag::Marked); });
    add("actionEditMarkAllDisplayed", tr("Mark All Displayed"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M),
        [this] { setOnDisplayed(Flag::Marked, true); });
    add("actionEditUnmarkAllDisplayed", tr("Unmark All Displayed"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_M),
        [this] { setOnDisplayed(Flag::Marked, false); });
    add("actionEditNextMark", tr("Next Mark"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
        [this] { goToFlagged(Flag::Marked, true); });
    add("actionEditPreviousMark", tr("Previous Mark"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B),
        [this] { goToFlagged(Flag::Marked, false); });
    edit->addSeparator();
    add("actionEditIgnorePacket", tr("&Ignore/Unignore Packet"), QKeySequence(Qt::CTRL | Qt::Key_D),
        [this] { toggle(Flag::Ignored); });
    add("actionEditIgnoreAllDisplayed", tr("Ignore All Displayed"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
        [this] { setOnDisplayed(Flag::Ignored, true); });
    add("actionEditUnignoreAllDisplayed", tr("Unignore All Displayed"),
        QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_D), [this] { setOnDisplayed(Flag::Ignored, false); });
    edit->addSeparator();
    add("actionEditPacketComment", tr("Packet Comment…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C), [this] {
        const std::uint32_t frame = currentFrame();
        if (!frame)
            return;
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(window_, tr("Packet Comment"),
                                                            tr("Comment on packet %1:").arg(frame),
                                                            packetComment(frame), &ok);
        if (ok)
            setPacketComment(frame, text);
    });
    edit->addSeparator();
    add("actionEditSetTimeReference", tr("Set/Unset Time &Reference"), QKeySequence(Qt::CTRL | Qt::Key_T),
        [this] { toggle(Flag::TimeReference); });
    add("actionEditUnsetAllTimeReferences", tr("Unset All Time References"),
        QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_T), [this] { setOnDisplayed(Flag::TimeReference, false); });
    add("actionEditNextTimeReference", tr("Next Time Reference"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_N),
        [this] { goToFlagged(Flag::TimeReference, true); });
    add("actionEditPreviousTimeReference", tr("Previous Time Reference"),
        QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_B), [this] { goToFlagged(Flag::TimeReference, false); });
}

void PacketListActions::addToGoMenu(QMenu* go)
{
    go->addAction(tr("Next Marked Packet"), window_, [this] { goToFlagged(Flag::Marked, true); });
    go->addAction(tr("Previous Marked Packet"), window_, [this] { goToFlagged(Flag::Marked, false); });
}

void PacketListActions::toggle(Flag which)
{
    const std::uint32_t frame = currentFrame();
    if (!frame)
        return;
    model_.setFlag({frame}, which, !model_.flag(frame, which));
}

void PacketListActions::setOnDisplayed(Flag which, bool on)
{
    if (!session_.isOpen())
        return;
    std::vector<std::uint32_t> frames;
    if (!on) { // clearing: only those that have it (a time reference recomputes every frame)
        for (std::uint32_t f : session_.capture()->flagged(which))
            frames.push_back(f);
        if (which != Flag::TimeReference) { // Unmark/Unignore All *Displayed*; time references all go
            std::vector<std::uint32_t> shown = session_.displayed();
            std::sort(shown.begin(), shown.end());
            std::sort(frames.begin(), frames.end());
            std::vector<std::uint32_t> both;
            std::set_intersection(frames.begin(), frames.end(), shown.begin(), shown.end(), std::back_inserter(both));
            frames = std::move(both);
        }
    } else {
        frames = session_.displayed();
    }
    if (which == Flag::TimeReference && !frames.empty()) {
        for (std::size_t i = 0; i + 1 < frames.size(); ++i) // one recomputation, at the last
            session_.capture()->setFlag(frames[i], which, on);
        frames = {frames.back()};
    }
    model_.setFlag(frames, which, on);
}

void PacketListActions::goToFlagged(Flag which, bool forward)
{
    const int rows = model_.rowCount();
    if (rows == 0)
        return;
    const int start = view_.currentIndex().isValid() ? view_.currentIndex().row() : (forward ? -1 : rows);
    for (int step = 1; step <= rows; ++step) {
        const int row = ((start + (forward ? step : -step)) % rows + rows) % rows;
        if (model_.flag(model_.frameAt(row), which)) {
            view_.setCurrentIndex(model_.index(row, 0));
            view_.scrollTo(view_.currentIndex());
            return;
        }
    }
    emit message(which == Flag::Marked ? tr("No marked packet is displayed") : tr("No time reference is displayed"));
}

QString PacketListActions::cellFilter(const QModelIndex& index) const
{
    const std::uint32_t frame = model_.frameAt(index.row());
    if (!frame || !session_.capture())
        return {};
    QString filter;
    RandomAccessCapture::Request request;
    request.tree = false;
    request.columnFilters = true;
    session_.capture()->dissect(frame, request, [&](const RandomAccessCapture::Packet& p) {
        const int column = index.column();
        if (column < p.columns->num_cols && p.columns->col_expr.col_expr[column] &&
            p.columns->col_expr.col_expr_val[column])
            filter = columnFilter(QString::fromUtf8(p.columns->col_expr.col_expr[column]),
                                  QString::fromUtf8(p.columns->col_expr.col_expr_val[column]));
    });
    return filter;
}

std::vector<std::pair<QString, QString>> PacketListActions::conversationFilters(std::uint32_t frame) const
{
    std::vector<std::pair<QString, QString>> filters;
    if (!frame || !session_.capture())
        return filters;
    RandomAccessCapture::Request request;
    request.columns = false;
    request.visibleTree = false;
    session_.capture()->dissect(frame, request, [&](const RandomAccessCapture::Packet& p) {
        for (GList* l = packet_conv_filter_list; l; l = l->next) {
            auto* f = static_cast<conversation_filter_t*>(l->data);
            if (!f->is_filter_valid(&p.edt->pi))
                continue;
            gchar* text = f->build_filter_string(&p.edt->pi);
            if (text && *text)
                filters.emplace_back(QString::fromUtf8(f->display_name), QString::fromUtf8(text));
            g_free(text);
        }
    });
    return filters;
}

void PacketListActions::copySummary(SummaryFormat format)
{
    const int row = view_.currentIndex().row();
    if (row < 0)
        return;
    QStringList columns;
    for (int c = 0; c < model_.columnCount(); ++c)
        if (!view_.isColumnHidden(c))
            columns << model_.index(row, c).data().toString();
    QApplication::clipboard()->setText(
        summaryRow(columns, format, model_.frameAt(row), QFileInfo(session_.path()).fileName()));
}

void PacketListActions::copyBytes(BytesFormat format)
{
    const std::uint32_t frame = currentFrame();
    if (!frame)
        return;
    RandomAccessCapture::Request request;
    request.tree = false;
    request.columns = false;
    QByteArray bytes;
    session_.capture()->dissect(frame, request, [&](const RandomAccessCapture::Packet& p) {
        bytes = QByteArray(reinterpret_cast<const char*>(p.bytes), int(p.length));
    });
    QApplication::clipboard()->setText(bytesAs(bytes, format));
}

void PacketListActions::colorize(int number, const QString& filter)
{
    gchar* error = nullptr;
    const bool ok = number == 0 ? color_filters_reset_tmp(&error)
                                : color_filters_set_tmp(guint8(number), filter.toUtf8().constData(), FALSE, &error);
    if (!ok)
        emit message(tr("Cannot colorize: %1").arg(QString::fromUtf8(error ? error : "")));
    g_free(error);
    model_.refresh();
}

QString PacketListActions::packetComment(std::uint32_t frame) const
{
    if (!session_.isOpen())
        return {};
    try {
        const auto comments = session_.capture()->comments(frame);
        return comments.empty() ? QString() : QString::fromStdString(comments.front());
    } catch (const EngineError&) {
        return {};
    }
}

bool PacketListActions::setPacketComment(std::uint32_t frame, const QString& text)
{
    if (!session_.isOpen())
        return false;
    try {
        auto comments = session_.capture()->comments(frame);
        const std::string now = text.toStdString();
        if (comments.empty())
            comments.push_back(now);
        else
            comments.front() = now; // the first one is the one edited, as Wireshark's Edit does
        if (now.empty())
            comments.erase(comments.begin());
        session_.capture()->setComments(frame, comments);
    } catch (const EngineError& e) {
        emit message(QString::fromStdString(e.step() + ": " + e.what()));
        return false;
    }
    model_.refreshFrame(frame);
    emit packetChanged(frame);
    return true;
}

QMenu* PacketListActions::contextMenu(const QModelIndex& index, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const std::uint32_t frame = model_.frameAt(index.row());
    if (!frame)
        return menu;
    auto reuse = [&](const char* name) {
        if (QAction* a = window_->findChild<QAction*>(QString::fromLatin1(name)))
            menu->addAction(a);
    };
    reuse("actionEditMarkPacket");
    reuse("actionEditIgnorePacket");
    reuse("actionEditSetTimeReference");
    reuse("actionEditPacketComment");
    menu->addSeparator();
    const QString selected = cellFilter(index);
    for (bool apply : {true, false}) {
        QMenu* sub = menu->addMenu(apply ? tr("Apply as Filter") : tr("Prepare as Filter"));
        sub->setEnabled(!selected.isEmpty());
        for (const auto& k : filterCombinations(selected, currentFilter_()))
            sub->addAction(k.label, this, [this, f = k.filter, apply] { emit filterRequested(f, apply); });
    }
    const auto conversations = conversationFilters(frame);
    QMenu* conv = menu->addMenu(tr("Conversation Filter"));
    QMenu* colorMenu = menu->addMenu(tr("Colorize Conversation"));
    for (const auto& [name, filter] : conversations) {
        conv->addAction(name, this, [this, f = filter] { emit filterRequested(f, true); });
        QMenu* colors = colorMenu->addMenu(name);
        for (int n = 1; n <= 10; ++n) {
            QPixmap swatch(16, 16);
            if (const color_filter_t* c = color_filters_tmp_color(guint8(n)))
                swatch.fill(QColor(c->bg_color.red >> 8, c->bg_color.green >> 8, c->bg_color.blue >> 8));
            colors->addAction(QIcon(swatch), tr("Color %1").arg(n), this, [this, n, f = filter] { this->colorize(n, f); });
        }
    }
    conv->setEnabled(!conversations.empty());
    colorMenu->setEnabled(!conversations.empty());
    QMenu* follow = menu->addMenu(tr("Follow"));
    follow->addAction(tr("TCP Stream"), this, [this] { emit followRequested("tcp"); });
    follow->addAction(tr("UDP Stream"), this, [this] { emit followRequested("udp"); });
    menu->addSeparator();
    QMenu* copy = menu->addMenu(tr("Copy"));
    copy->addAction(tr("Summary as Text"), this, [this] { copySummary(SummaryFormat::Text); });
    copy->addAction(tr("…as CSV"), this, [this] { copySummary(SummaryFormat::Csv); });
    copy->addAction(tr("…as YAML"), this, [this] { copySummary(SummaryFormat::Yaml); });
    copy->addSeparator();
    copy->addAction(tr("As Filter"), this, [selected] { QApplication::clipboard()->setText(selected); })
        ->setEnabled(!selected.isEmpty());
    copy->addSeparator();
    const struct {
        const char* label;
        BytesFormat format;
    } kBytes[] = {{"Bytes as Hex + ASCII Dump", BytesFormat::HexAsciiDump},
                  {"…as Hex Dump", BytesFormat::HexDump},
                  {"…as Printable Text", BytesFormat::PrintableText},
                  {"…as a Hex Stream", BytesFormat::HexStream},
                  {"…as Escaped String", BytesFormat::EscapedString}};
    for (const auto& b : kBytes)
        copy->addAction(tr(b.label), this, [this, f = b.format] { copyBytes(f); });
    return menu;
}

} // namespace ss::ui
