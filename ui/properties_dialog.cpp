// SPDX-License-Identifier: GPL-2.0-or-later
#include "properties_dialog.h"

#include "error.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTextBrowser>
#include <QThread>
#include <QVBoxLayout>

#include <memory>

namespace ss::ui {
namespace {

QString esc(const std::string& s)
{
    return QString::fromStdString(s).toHtmlEscaped();
}

QString when(std::int64_t ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1000000).toString("yyyy-MM-dd hh:mm:ss.zzz");
}

QString row(const QString& name, const QString& value)
{
    return QStringLiteral("<tr><td style='padding-right:16px'>%1</td><td>%2</td></tr>").arg(name, value);
}

} // namespace

PropertiesDialog::PropertiesDialog(const QString& path, std::size_t displayed, QWidget* parent)
    : QDialog(parent), displayed_(displayed)
{
    setWindowTitle(tr("Capture File Properties · %1").arg(path));
    setObjectName("propertiesDialog");
    resize(720, 620);
    browser_ = new QTextBrowser(this);
    browser_->setPlainText(tr("Reading %1…").arg(path));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("Copy To Clipboard"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(text()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(browser_);
    layout->addWidget(buttons);

    auto result = std::make_shared<std::optional<CaptureSummary>>();
    auto error = std::make_shared<QString>();
    QThread* worker = QThread::create([result, error, file = path.toStdString()] {
        try {
            *result = summarizeCapture(file);
        } catch (const EngineError& e) {
            *error = QString::fromStdString(e.what());
        }
    });
    connect(worker, &QThread::finished, this, [this, result, error] {
        if (*result) {
            summary_ = std::move(*result);
            present(*summary_);
        } else {
            browser_->setPlainText(*error);
        }
        emit computed();
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

QString PropertiesDialog::text() const
{
    return browser_->toPlainText();
}

void PropertiesDialog::present(const CaptureSummary& s)
{
    QString html = QStringLiteral("<h3>%1</h3><table>").arg(tr("File"));
    html += row(tr("Name:"), esc(s.path));
    html += row(tr("Length:"), tr("%L1 bytes").arg(s.fileBytes));
    html += row(tr("Hash (SHA256):"), esc(s.sha256));
    html += row(tr("Hash (SHA1):"), esc(s.sha1));
    html += row(tr("Format:"), esc(s.format));
    html += row(tr("Encapsulation:"), esc(s.encapsulation));
    if (!s.readError.empty())
        html += row(tr("Damaged:"), esc(s.readError));
    const double span = double(s.lastNs - s.firstNs) / 1e9;
    html += QStringLiteral("</table><h3>%1</h3><table>").arg(tr("Time"));
    html += row(tr("First packet:"), s.packets ? when(s.firstNs) : QString());
    html += row(tr("Last packet:"), s.packets ? when(s.lastNs) : QString());
    html += row(tr("Elapsed:"), QString::number(span, 'f', 3) + " s");
    html += row(tr("Strict time order:"), s.strictTimeOrder ? tr("yes") : tr("no"));
    html += QStringLiteral("</table><h3>%1</h3><table>").arg(tr("Capture"));
    html += row(tr("Hardware:"), esc(s.hardware));
    html += row(tr("OS:"), esc(s.os));
    html += row(tr("Application:"), esc(s.application));
    for (const auto& c : s.sectionComments)
        html += row(tr("Comment:"), esc(c));
    html += QStringLiteral("</table><h3>%1</h3><table><tr><th align=left>%2</th><th align=left>%3</th>"
                           "<th align=left>%4</th><th align=left>%5</th><th align=left>%6</th>"
                           "<th align=left>%7</th></tr>")
                .arg(tr("Interfaces"), tr("Interface"), tr("Dropped packets"), tr("Capture filter"),
                     tr("Link type"), tr("Packet size limit (snaplen)"), tr("Packets"));
    for (const auto& i : s.interfaces)
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>")
                    .arg(esc(i.name.empty() ? i.description : i.name),
                         i.dropped ? QString::number(*i.dropped) : tr("Unknown"),
                         i.filter.empty() ? tr("none") : esc(i.filter), esc(i.encapsulation),
                         tr("%1 bytes").arg(i.snapLength))
                    .arg(i.packets);
    html += QStringLiteral("</table><h3>%1</h3><table>").arg(tr("Statistics"));
    html += row(tr("Packets:"), QString::number(s.packets));
    html += row(tr("Displayed:"), QString::number(displayed_));
    html += row(tr("Bytes:"), QString::number(s.dataBytes));
    if (span > 0) {
        html += row(tr("Average pps:"), QString::number(double(s.packets) / span, 'f', 1));
        html += row(tr("Average bytes/s:"), QString::number(double(s.dataBytes) / span, 'f', 0));
        html += row(tr("Average bits/s:"), QString::number(8 * double(s.dataBytes) / span, 'f', 0));
    }
    if (s.packets)
        html += row(tr("Average packet size:"), QString::number(double(s.dataBytes) / double(s.packets), 'f', 2));
    html += QStringLiteral("</table>");
    if (!s.packetComments.empty()) {
        html += QStringLiteral("<h3>%1</h3>").arg(tr("Packet Comments"));
        for (const auto& [frame, comment] : s.packetComments)
            html += QStringLiteral("<p>%1: %2</p>").arg(tr("Frame %1").arg(frame), esc(comment).replace('\n', "<br>"));
        if (s.moreComments)
            html += QStringLiteral("<p>%1</p>").arg(tr("… and %1 more").arg(s.moreComments));
    }
    browser_->setHtml(html);
}

} // namespace ss::ui
