// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_session.h"

#include "display_filter.h"
#include "error.h"

#include <QFileInfo>
#include <QTimer>

namespace ss::ui {

struct CaptureSession::Pass {
    RandomAccessCapture::Request request;
    std::function<void(const RandomAccessCapture::Packet&)> perFrame;
    std::function<void(bool)> done;
    std::uint32_t next = 1;
};

CaptureSession::CaptureSession(EpanRuntime& runtime, QObject* parent) : QObject(parent), runtime_(runtime) {}

void CaptureSession::schedule(void (CaptureSession::*step)(), int delayMs)
{
    // A step queued for a file that has since been closed or replaced does nothing.
    QTimer::singleShot(delayMs, this, [this, step, g = generation_] {
        if (g == generation_)
            (this->*step)();
    });
}

CaptureSession::~CaptureSession()
{
    if (expertTap_)
        remove_tap_listener(this);
}

tap_packet_status CaptureSession::expertPacket(void* self, packet_info*, epan_dissect_t*, const void* data,
                                               tap_flags_t)
{
    auto* session = static_cast<CaptureSession*>(self);
    const auto* info = static_cast<const expert_info_t*>(data);
    if (!session->loading_ || !info)
        return TAP_PACKET_DONT_REDRAW; // only the first pass counts
    if (info->severity > session->expertWorst_) {
        session->expertWorst_ = info->severity;
        session->expertWorstCount_ = 0;
    }
    if (info->severity == session->expertWorst_)
        ++session->expertWorstCount_;
    return TAP_PACKET_DONT_REDRAW;
}

QString CaptureSession::path() const
{
    return capture_ ? QString::fromStdString(capture_->path()) : QString();
}

bool CaptureSession::open(const QString& path, QString* error)
{
    // epan holds one session at a time: check that the file opens before giving up the
    // current one, then replace it.
    try {
        CaptureFile::open(path.toStdString(), true);
        close();
        capture_ = std::make_unique<RandomAccessCapture>(runtime_, path.toStdString());
    } catch (const EngineError& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    fileSize_ = QFileInfo(path).size();
    expertWorst_ = 0;
    expertWorstCount_ = 0;
    if (!expertTap_) {
        if (GString* err = register_tap_listener("expert", this, nullptr, TL_REQUIRES_NOTHING, nullptr, expertPacket,
                                                 nullptr, nullptr))
            g_string_free(err, TRUE);
        else
            expertTap_ = true;
    }
    loading_ = true;
    announced_ = 0;
    sinceAnnounced_.start();
    ++generation_;
    emit opened(path);
    slicePending_ = true;
    schedule(&CaptureSession::loadSlice);
    return true;
}

bool CaptureSession::openLive(const QString& path, QString* error)
{
    if (!open(path, error))
        return false;
    capture_->setFollowing(true);
    live_ = true;
    return true;
}

void CaptureSession::liveDataArrived()
{
    if (live_ && loading_ && !slicePending_) {
        slicePending_ = true;
        schedule(&CaptureSession::loadSlice);
    }
}

void CaptureSession::liveEnded()
{
    if (!live_ || !capture_)
        return;
    capture_->setFollowing(false); // the next slice reads the rest and finishes
    live_ = false;
    if (!slicePending_) {
        slicePending_ = true;
        schedule(&CaptureSession::loadSlice);
    }
}

void CaptureSession::close()
{
    if (!capture_)
        return;
    ++generation_;
    filterPass_.reset();
    findPass_.reset();
    if (pass_) {
        auto done = std::move(pass_->done);
        pass_.reset();
        if (done)
            done(false);
    }
    capture_.reset();
    displayed_.clear();
    appliedFilter_.clear();
    activeFilter_.reset();
    loading_ = false;
    live_ = false;
    slicePending_ = false;
    expertWorst_ = 0;
    expertWorstCount_ = 0;
    emit closed();
}

void CaptureSession::cancelLoading()
{
    if (!loading_)
        return;
    loading_ = false;
    ++generation_;
    emit loadFinished(tr("Loading cancelled after %1 packets").arg(totalFrames()));
}

void CaptureSession::loadSlice()
{
    slicePending_ = false;
    if (!capture_ || !loading_)
        return;
    QElapsedTimer timer;
    timer.start();
    const std::size_t before = capture_->frameCount();
    bool more = true;
    while (more && timer.elapsed() < sliceMs_)
        more = capture_->loadSome(64);
    const std::size_t after = capture_->frameCount();
    if (after > before) {
        // Without a filter every frame is displayed, in order; with one (a live capture's),
        // the new frames are matched here unless a filter pass is still under way.
        if (appliedFilter_.isEmpty() && !filterPass_) {
            for (std::size_t n = before + 1; n <= after; ++n)
                displayed_.push_back(static_cast<std::uint32_t>(n));
        } else if (activeFilter_ && !filterPass_) {
            RandomAccessCapture::Request request;
            request.visibleTree = false;
            request.columns = false;
            request.filter = activeFilter_->get();
            for (std::size_t n = before + 1; n <= after; ++n)
                capture_->dissect(std::uint32_t(n), request, [&](const RandomAccessCapture::Packet& p) {
                    if (p.matched)
                        displayed_.push_back(p.number);
                });
        }
    }
    const bool announce = after > announced_ && (!more || announced_ == 0 ||
                                                 sinceAnnounced_.elapsed() >= kAnnounceMs);
    if (announce) {
        emit framesAdded(announced_, after - announced_);
        announced_ = after;
        sinceAnnounced_.restart();
    }
    if (!more && capture_->following())
        return; // nothing more yet: liveDataArrived() schedules the next slice
    if (more) {
        slicePending_ = true;
        const auto& idx = capture_->index();
        if (announce && fileSize_ > 0 && idx.size() > 0)
            emit loadProgress(int(100.0 * double(idx[idx.size() - 1].fileOffset) / double(fileSize_)));
        schedule(&CaptureSession::loadSlice);
        return;
    }
    loading_ = false;
    emit loadProgress(100);
    emit loadFinished(QString::fromStdString(capture_->error()));
}

bool CaptureSession::applyFilter(const QString& text, QString* error)
{
    if (!capture_)
        return false;
    DisplayFilter::Error compileError;
    auto filter = DisplayFilter::compile(text.trimmed().toStdString(), &compileError);
    if (!filter && !compileError.message.empty()) {
        if (error)
            *error = QString::fromStdString(compileError.message);
        return false;
    }
    cancelFiltering();
    if (!filter) { // empty: show everything
        displayed_.clear();
        for (std::uint32_t n = 1; n <= capture_->frameCount(); ++n)
            displayed_.push_back(n);
        capture_->setDisplayed(displayed_);
        appliedFilter_.clear();
        activeFilter_.reset();
        emit filterApplied(QString());
        return true;
    }
    filterPass_ = std::make_unique<FilterPass>();
    filterPass_->filter = std::move(filter);
    filterPass_->text = text.trimmed();
    schedule(&CaptureSession::filterSlice);
    return true;
}

void CaptureSession::cancelFiltering()
{
    if (!filterPass_)
        return;
    filterPass_.reset();
    emit filterCancelled();
}

void CaptureSession::filterSlice()
{
    if (!filterPass_ || !capture_)
        return;
    if (loading_ && !live_) { // filter once every frame is there (a live capture: those there so far)
        schedule(&CaptureSession::filterSlice, 10);
        return;
    }
    FilterPass& f = *filterPass_;
    if (matchSlice(*f.filter, f.matches, f.next, true)) {
        emit filterProgress(int(100.0 * f.next / capture_->frameCount()));
        schedule(&CaptureSession::filterSlice);
        return;
    }
    displayed_ = std::move(f.matches);
    capture_->setDisplayed(displayed_);
    appliedFilter_ = f.text;
    activeFilter_ = std::move(f.filter);
    filterPass_.reset();
    emit filterProgress(100);
    emit filterApplied(appliedFilter_);
}

void CaptureSession::runPass(const RandomAccessCapture::Request& request,
                             std::function<void(const RandomAccessCapture::Packet&)> perFrame,
                             std::function<void(bool)> done)
{
    if (pass_ && pass_->done)
        pass_->done(false);
    pass_ = std::make_unique<Pass>(Pass{request, std::move(perFrame), std::move(done), 1});
    schedule(&CaptureSession::passSlice);
}

void CaptureSession::passSlice()
{
    if (!pass_ || !capture_)
        return;
    QElapsedTimer timer;
    timer.start();
    const auto total = static_cast<std::uint32_t>(capture_->frameCount());
    while (pass_->next <= total && timer.elapsed() < sliceMs_) {
        capture_->dissect(pass_->next, pass_->request, pass_->perFrame);
        ++pass_->next;
    }
    if (pass_->next <= total) {
        emit passProgress(int(100.0 * pass_->next / total));
        schedule(&CaptureSession::passSlice);
        return;
    }
    auto done = std::move(pass_->done);
    pass_.reset();
    emit passProgress(100);
    if (done)
        done(true);
}

bool CaptureSession::findFrames(const QString& text, std::function<void(std::vector<std::uint32_t>)> done,
                                QString* error)
{
    if (!capture_)
        return false;
    DisplayFilter::Error compileError;
    auto filter = DisplayFilter::compile(text.toStdString(), &compileError);
    if (!filter) {
        if (error)
            *error = QString::fromStdString(compileError.message);
        return false;
    }
    const bool idle = !findPass_;
    findPass_ = std::make_unique<FindPass>(FindPass{std::move(filter), {}, 1, std::move(done)});
    if (idle)
        schedule(&CaptureSession::findSlice);
    return true;
}

bool CaptureSession::matchSlice(DisplayFilter& filter, std::vector<std::uint32_t>& matches, std::uint32_t& next,
                                bool references)
{
    QElapsedTimer timer;
    timer.start();
    RandomAccessCapture::Request request;
    request.visibleTree = false;
    request.columns = false;
    request.filter = filter.get();
    const auto total = static_cast<std::uint32_t>(capture_->frameCount());
    while (next <= total && timer.elapsed() < sliceMs_) {
        capture_->dissect(next, request, [&](const RandomAccessCapture::Packet& p) {
            if (p.matched || (references && capture_->flag(p.number, RandomAccessCapture::Flag::TimeReference)))
                matches.push_back(p.number);
        });
        ++next;
    }
    return next <= total;
}

void CaptureSession::findSlice()
{
    if (!findPass_ || !capture_)
        return;
    if (loading_ && !live_) { // records link both ways once every frame has been seen
        schedule(&CaptureSession::findSlice, 10);
        return;
    }
    FindPass& f = *findPass_;
    if (matchSlice(*f.filter, f.matches, f.next, false)) {
        schedule(&CaptureSession::findSlice);
        return;
    }
    auto finished = std::move(findPass_);
    if (finished->done)
        finished->done(std::move(finished->matches));
}

void CaptureSession::runTapPass(bool tree, std::function<void(bool)> done)
{
    RandomAccessCapture::Request request;
    request.taps = true;
    request.columns = false;
    request.visibleTree = false;
    request.tree = tree;
    runPass(request, [](const RandomAccessCapture::Packet&) {}, std::move(done));
}

void CaptureSession::runPassNow(const RandomAccessCapture::Request& request,
                                const std::function<void(const RandomAccessCapture::Packet&)>& perFrame)
{
    if (!capture_)
        return;
    for (std::uint32_t n = 1; n <= capture_->frameCount(); ++n)
        capture_->dissect(n, request, perFrame);
}

} // namespace ss::ui
