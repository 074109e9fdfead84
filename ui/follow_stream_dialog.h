// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QDialog>

#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTextEdit;

namespace ss::ui {

class CaptureSession;

// Analyze → Follow → TCP/UDP Stream: the conversation's payload as text, client in red
// and server in blue, shown as ASCII, hex dump, raw hex or YAML, as -z follow prints it.
class FollowStreamDialog : public QDialog {
    Q_OBJECT
public:
    enum class Format { Ascii, HexDump, Raw, Yaml };
    enum class Side { Both, ClientToServer, ServerToClient };

    FollowStreamDialog(CaptureSession& session, const QString& protocol, QWidget* parent = nullptr);

    void follow(int stream);
    bool following() const { return following_; }
    void setFormat(Format format);
    void setSide(Side side);
    QString text() const;   // what is shown, as plain text
    bool rendering() const { return renderNext_ < chunks_.size(); }
    int renderSlices() const { return renderSlices_; } // of the last render (1: all at once)
    void setSliceBudget(int ms) { sliceMs_ = ms; }      // tests shorten it
    QString streamFilter() const { return filter_; }
    bool find(const QString& text);

signals:
    void followed();
    void filterOutRequested(const QString& filter);
    // The followed stream's filter, for the main view (as Wireshark applies it on Follow).
    void streamFilterRequested(const QString& filter);
    void backRequested(); // "Back": the main view's filter from before Follow
    void rendered();      // the text is complete

private:
    struct Chunk {
        bool server;
        std::uint32_t frame;
        double time;
        QByteArray data;
    };
    void render();
    void renderSlice(unsigned generation);
    void saveAs();

    CaptureSession& session_;
    QString protocol_;
    QString filter_;
    QString nodes_[2];
    std::vector<Chunk> chunks_;
    bool following_ = false;
    // Rendering in ≤ 20 ms slices (a big stream would freeze the window): where it is.
    std::size_t renderNext_ = 0;
    std::uint32_t renderPosition_[2] = {0, 0};
    unsigned renderGeneration_ = 0;
    int renderSlices_ = 0;
    int sliceMs_ = 20;
    QString summary_; // "N client packets, M server packets"
    QTextEdit* text_;
    QComboBox* format_;
    QComboBox* side_;
    QSpinBox* stream_;
    QLineEdit* findEdit_;
    QLabel* hint_;
};

} // namespace ss::ui
