// SPDX-License-Identifier: GPL-2.0-or-later
#include "follow_stream_dialog.h"

#include "capture_session.h"
#include "error.h"
#include "follow_format.h"
#include "follow_tap.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QTextEdit>
#include <QVBoxLayout>

#include <memory>

namespace ss::ui {
namespace {

// Wireshark's client (red) and server (blue) text, lightened on a dark palette.
QColor sideColor(bool server, const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    if (server)
        return dark ? QColor(0x9f, 0xbf, 0xff) : QColor(0x00, 0x00, 0x7f);
    return dark ? QColor(0xff, 0xa0, 0xa0) : QColor(0x7f, 0x00, 0x00);
}

} // namespace

FollowStreamDialog::FollowStreamDialog(CaptureSession& session, const QString& protocol, QWidget* parent)
    : QDialog(parent), session_(session), protocol_(protocol)
{
    setObjectName("followStreamDialog");
    resize(900, 600);
    text_ = new QTextEdit(this);
    text_->setReadOnly(true);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    format_ = new QComboBox(this);
    format_->addItems({tr("ASCII"), tr("Hex Dump"), tr("Raw"), tr("YAML")});
    side_ = new QComboBox(this);
    side_->addItems({tr("Entire conversation"), tr("Client → server"), tr("Server → client")});
    stream_ = new QSpinBox(this);
    stream_->setRange(0, 1 << 30);
    findEdit_ = new QLineEdit(this);
    findEdit_->setObjectName("followFind");
    hint_ = new QLabel(this);
    connect(format_, &QComboBox::currentIndexChanged, this, &FollowStreamDialog::render);
    connect(side_, &QComboBox::currentIndexChanged, this, &FollowStreamDialog::render);
    connect(stream_, &QSpinBox::valueChanged, this, [this](int s) {
        if (!following_)
            follow(s);
    });
    connect(findEdit_, &QLineEdit::returnPressed, this, [this] { find(findEdit_->text()); });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* filterOut = buttons->addButton(tr("Filter Out This Stream"), QDialogButtonBox::ActionRole);
    auto* save = buttons->addButton(tr("Save as…"), QDialogButtonBox::ActionRole);
    auto* back = buttons->addButton(tr("Back"), QDialogButtonBox::ActionRole);
    connect(back, &QPushButton::clicked, this, [this] {
        emit backRequested();
        close();
    });
    // Enter in the Find or Stream box must not press a button: no button is a default.
    for (QAbstractButton* b : buttons->buttons())
        if (auto* push = qobject_cast<QPushButton*>(b))
            push->setAutoDefault(false);
    connect(filterOut, &QPushButton::clicked, this, [this] {
        if (!filter_.isEmpty())
            emit filterOutRequested(QStringLiteral("!(%1)").arg(filter_));
    });
    connect(save, &QPushButton::clicked, this, &FollowStreamDialog::saveAs);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto* controls = new QHBoxLayout;
    controls->addWidget(side_);
    controls->addWidget(new QLabel(tr("Show data as"), this));
    controls->addWidget(format_);
    controls->addWidget(new QLabel(tr("Stream"), this));
    controls->addWidget(stream_);
    auto* findRow = new QHBoxLayout;
    findRow->addWidget(new QLabel(tr("Find:"), this));
    findRow->addWidget(findEdit_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text_);
    layout->addWidget(hint_);
    layout->addLayout(controls);
    layout->addLayout(findRow);
    layout->addWidget(buttons);
}

void FollowStreamDialog::follow(int stream)
{
    std::shared_ptr<FollowTap> tap;
    try {
        filter_ = QString::fromStdString(FollowTap::indexFilter(protocol_.toStdString(), guint(stream), 0));
        tap = std::make_shared<FollowTap>(protocol_.toStdString(), filter_.toStdString());
    } catch (const EngineError& e) {
        hint_->setText(QString::fromStdString(e.what()));
        return;
    }
    following_ = true;
    stream_->setValue(stream);
    emit streamFilterRequested(filter_);
    setWindowTitle(tr("Follow %1 Stream (%2) · %3").arg(protocol_.toUpper(), filter_, session_.path()));
    hint_->setText(tr("Following…"));
    session_.runTapPass(true /* the tap has a filter */, [this, tap](bool completed) {
        following_ = false;
        chunks_.clear();
        const follow_info_t& info = tap->info();
        char addr[WS_INET6_ADDRSTRLEN];
        address_to_str_buf(&info.client_ip, addr, sizeof addr);
        nodes_[0] = QStringLiteral("%1:%2").arg(QString::fromUtf8(addr)).arg(info.client_port);
        address_to_str_buf(&info.server_ip, addr, sizeof addr);
        nodes_[1] = QStringLiteral("%1:%2").arg(QString::fromUtf8(addr)).arg(info.server_port);
        for (GList* cur = g_list_last(info.payload); completed && cur; cur = g_list_previous(cur)) {
            const auto* rec = static_cast<const follow_record_t*>(cur->data);
            chunks_.push_back({bool(rec->is_server), rec->packet_num, nstime_to_sec(&rec->abs_ts),
                               QByteArray(reinterpret_cast<const char*>(rec->data->data), int(rec->data->len))});
        }
        side_->setItemText(1, tr("%1 → %2 (%3 bytes)").arg(nodes_[0], nodes_[1]).arg(info.bytes_written[0]));
        side_->setItemText(2, tr("%1 → %2 (%3 bytes)").arg(nodes_[1], nodes_[0]).arg(info.bytes_written[1]));
        summary_ = tr("%1 client packets, %2 server packets")
                       .arg(std::count_if(chunks_.begin(), chunks_.end(), [](const Chunk& c) { return !c.server; }))
                       .arg(std::count_if(chunks_.begin(), chunks_.end(), [](const Chunk& c) { return c.server; }));
        hint_->setText(summary_);
        render();
        emit followed();
    });
}

void FollowStreamDialog::setFormat(Format format)
{
    format_->setCurrentIndex(int(format));
}

void FollowStreamDialog::setSide(Side side)
{
    side_->setCurrentIndex(int(side));
}

void FollowStreamDialog::render()
{
    ++renderGeneration_;
    renderNext_ = 0;
    renderPosition_[0] = renderPosition_[1] = 0;
    renderSlices_ = 0;
    text_->clear();
    if (Format(format_->currentIndex()) == Format::Yaml) {
        QTextCursor(text_->document())
            .insertText(QStringLiteral("peers:\n  - peer: 0\n    host: %1\n  - peer: 1\n    host: %2\npackets:\n")
                            .arg(nodes_[0], nodes_[1]));
    }
    renderSlice(renderGeneration_);
}

// Appends chunks for up to 20 ms, then yields to the event loop; a newer render (another
// format, side or stream) makes the older one's queued slices stop.
void FollowStreamDialog::renderSlice(unsigned generation)
{
    if (generation != renderGeneration_)
        return;
    ++renderSlices_;
    const auto format = Format(format_->currentIndex());
    const auto side = Side(side_->currentIndex());
    QTextCursor cursor(text_->document());
    cursor.movePosition(QTextCursor::End);
    QTextCharFormat charFormat;
    // A small stream (≤ 64 kB) renders at once, whatever the clock says.
    std::size_t bytes = 0;
    for (const Chunk& c : chunks_)
        bytes += std::size_t(c.data.size());
    const bool atOnce = bytes <= 65536;
    QElapsedTimer clock;
    clock.start();
    for (; renderNext_ < chunks_.size() && (atOnce || clock.elapsed() < sliceMs_); ++renderNext_) {
        const Chunk& c = chunks_[renderNext_];
        auto* data = reinterpret_cast<const std::uint8_t*>(c.data.constData());
        const auto len = std::size_t(c.data.size());
        std::uint32_t& pos = renderPosition_[c.server ? 1 : 0];
        if ((side == Side::ClientToServer && c.server) || (side == Side::ServerToClient && !c.server)) {
            pos += std::uint32_t(len);
            continue;
        }
        charFormat.setForeground(sideColor(c.server, text_->palette()));
        QString chunkText;
        switch (format) {
        case Format::Ascii:
            chunkText = QString::fromStdString(followAscii(data, len));
            break;
        case Format::HexDump:
            chunkText = QString::fromStdString(followHexDump("", pos, data, len));
            break;
        case Format::Raw:
            chunkText = QString::fromStdString(followRaw(data, len)) + '\n';
            break;
        case Format::Yaml:
            chunkText = QStringLiteral("  - packet: %1\n    peer: %2\n    timestamp: %3\n    data: !!binary |\n")
                            .arg(c.frame).arg(c.server ? 1 : 0).arg(c.time, 0, 'f', 9);
            for (int i = 0; i < c.data.size(); i += 57)
                chunkText += QStringLiteral("      %1\n").arg(QString::fromLatin1(c.data.mid(i, 57).toBase64()));
            break;
        }
        pos += std::uint32_t(len);
        cursor.insertText(chunkText, charFormat);
    }
    if (renderNext_ < chunks_.size()) {
        hint_->setText(tr("Rendering… %1 %").arg(100 * renderNext_ / chunks_.size()));
        QTimer::singleShot(0, this, [this, generation] { renderSlice(generation); });
        return;
    }
    hint_->setText(summary_);
    emit rendered();
}

QString FollowStreamDialog::text() const
{
    return text_->toPlainText();
}

bool FollowStreamDialog::find(const QString& text)
{
    if (text.isEmpty())
        return false;
    if (text_->find(text))
        return true;
    text_->moveCursor(QTextCursor::Start); // wrap around
    return text_->find(text);
}

void FollowStreamDialog::saveAs()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Stream Content As…"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        hint_->setText(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    if (Format(format_->currentIndex()) == Format::Raw || Format(format_->currentIndex()) == Format::Ascii) {
        for (const Chunk& c : chunks_) // raw bytes, as Wireshark saves them
            file.write(c.data);
    } else {
        file.write(text().toUtf8());
    }
}

} // namespace ss::ui
