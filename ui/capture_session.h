// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

#include "random_access.h"

namespace ss {
class DisplayFilter;
class EpanRuntime;
} // namespace ss

namespace ss::ui {

// One open capture in the GUI: loads it in time slices on the GUI thread (epan is
// single-threaded; no slice runs longer than ~20 ms, so the window stays responsive),
// keeps the list of displayed frames, applies display filters in slices, and runs whole-
// file passes for statistics. Views and models read it; nothing here is global.
class CaptureSession : public QObject {
    Q_OBJECT
public:
    CaptureSession(EpanRuntime& runtime, QObject* parent = nullptr);
    ~CaptureSession() override;

    // Opens `path`; returns false with `error` set when the file cannot be opened.
    bool open(const QString& path, QString* error);
    // Opens the file a live capture is writing: frames are read as they arrive
    // (liveDataArrived), a display filter applies to new frames too, and loading finishes
    // once liveEnded() says the capture is over.
    bool openLive(const QString& path, QString* error);
    void liveDataArrived();
    void liveEnded();
    bool isLive() const { return live_; }
    void close();
    bool isOpen() const { return capture_ != nullptr; }
    QString path() const;
    RandomAccessCapture* capture() const { return capture_.get(); }
    EpanRuntime& runtime() const { return runtime_; }

    bool loading() const { return loading_; }
    void cancelLoading();
    std::size_t totalFrames() const { return capture_ ? capture_->frameCount() : 0; }

    // Frame numbers currently displayed (all frames when no filter is applied).
    const std::vector<std::uint32_t>& displayed() const { return displayed_; }
    QString appliedFilter() const { return appliedFilter_; }

    // Compiles and applies `text` over the whole file in slices. An invalid filter is
    // refused (returns false, error set) and nothing changes.
    bool applyFilter(const QString& text, QString* error);
    bool filtering() const { return bool(filterPass_); }
    void cancelFiltering();

    // Runs `perFrame` over every frame (in slices), then `done`. Used by statistics.
    void runPass(const RandomAccessCapture::Request& request,
                 std::function<void(const RandomAccessCapture::Packet&)> perFrame,
                 std::function<void(bool completed)> done);
    // Runs the registered tap listeners over every frame (in slices), then `done`: the pass
    // of every statistics dialog. `tree`: build a hidden protocol tree (taps with a filter or
    // fields need one).
    void runTapPass(bool tree, std::function<void(bool completed)> done);
    // The same, blocking (tests and small files).
    void runPassNow(const RandomAccessCapture::Request& request,
                    const std::function<void(const RandomAccessCapture::Packet&)>& perFrame);

    // Finds the frames `text` matches, in slices, without changing what is displayed (the
    // frames related to a selected alert); a new search replaces one still running, which
    // then never reports. False, with `error` set, when the filter does not compile.
    bool findFrames(const QString& text, std::function<void(std::vector<std::uint32_t>)> done, QString* error);

    // Expert information seen in the first pass: the highest severity (PI_* value, 0 when
    // none) and how many items had it.
    int worstExpertSeverity() const { return expertWorst_; }
    int worstExpertCount() const { return expertWorstCount_; }

    // Slice budget in milliseconds (tests shorten it).
    void setSliceBudget(int ms) { sliceMs_ = ms; }

signals:
    void opened(const QString& path);
    void closed();
    void framesAdded(std::size_t from, std::size_t count);
    void loadProgress(int percent);
    void loadFinished(const QString& error);
    void filterProgress(int percent);
    void filterApplied(const QString& filter);
    void filterCancelled();
    void passProgress(int percent);

private:
    struct Pass;
    void schedule(void (CaptureSession::*step)(), int delayMs = 0);
    void loadSlice();
    void filterSlice();
    void passSlice();
    void findSlice();
    // Matches frames next… against `filter` for one slice; false once every frame is done.
    // `references`: time references match too (Wireshark displays them whatever the filter).
    bool matchSlice(DisplayFilter& filter, std::vector<std::uint32_t>& matches, std::uint32_t& next, bool references);
    static tap_packet_status expertPacket(void* self, packet_info*, epan_dissect_t*, const void* data,
                                          tap_flags_t);

    EpanRuntime& runtime_;
    std::unique_ptr<RandomAccessCapture> capture_;
    std::vector<std::uint32_t> displayed_;
    QString appliedFilter_;
    bool loading_ = false;
    bool live_ = false;          // the file is a running capture's
    bool slicePending_ = false;  // a load slice is queued
    std::unique_ptr<DisplayFilter> activeFilter_; // the applied filter, for frames still to come
    qint64 fileSize_ = 0;
    int sliceMs_ = 20;
    // Loading tells the views about new frames at most every kAnnounceMs (and at once when it
    // ends or waits for a live capture): a row-count change relayouts and repaints the list.
    static constexpr int kAnnounceMs = 100;
    std::size_t announced_ = 0; // frames the views were told of
    QElapsedTimer sinceAnnounced_;

    struct FilterPass {
        std::unique_ptr<DisplayFilter> filter;
        QString text;
        std::vector<std::uint32_t> matches;
        std::uint32_t next = 1;
    };
    std::unique_ptr<FilterPass> filterPass_;
    std::unique_ptr<Pass> pass_;
    struct FindPass {
        std::unique_ptr<DisplayFilter> filter;
        std::vector<std::uint32_t> matches;
        std::uint32_t next = 1;
        std::function<void(std::vector<std::uint32_t>)> done;
    };
    std::unique_ptr<FindPass> findPass_;
    std::uint64_t generation_ = 0; // invalidates slices queued for a closed file
    int expertWorst_ = 0;
    int expertWorstCount_ = 0;
    bool expertTap_ = false;
};

} // namespace ss::ui
