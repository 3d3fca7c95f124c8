#include "core/background_loop.hpp"

namespace rollcall::core {

BackgroundLoop::~BackgroundLoop() {
    Stop();
}

void BackgroundLoop::Start(Pass pass) {
    if (!thread_.joinable()) {
        thread_ = std::thread([this, pass = std::move(pass)] { Loop(pass); });
    }
}

void BackgroundLoop::Run(const Pass& pass) {
    Loop(pass);
}

void BackgroundLoop::RequestStop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
}

void BackgroundLoop::Stop() {
    RequestStop();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void BackgroundLoop::Wake() {
    {
        std::lock_guard lock(mu_);
        woken_ = true;
    }
    cv_.notify_all();
}

bool BackgroundLoop::stopping() const {
    std::lock_guard lock(mu_);
    return stopping_;
}

bool BackgroundLoop::finished() const {
    std::lock_guard lock(mu_);
    return finished_;
}

bool BackgroundLoop::SleepUntil(Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, deadline, [this] { return stopping_; });
    return !stopping_;
}

void BackgroundLoop::Loop(const Pass& pass) {
    for (;;) {
        {
            std::lock_guard lock(mu_);
            if (stopping_) {
                break;
            }
            woken_ = false;  // a Wake from now on, during the pass included, asks for another pass
        }
        const auto next = pass();
        if (!next) {
            break;
        }
        std::unique_lock lock(mu_);
        const auto woken_or_stopping = [this] { return stopping_ || woken_; };
        if (*next == Clock::time_point::max()) {
            cv_.wait(lock, woken_or_stopping);
        } else {
            cv_.wait_until(lock, *next, woken_or_stopping);
        }
    }
    std::lock_guard lock(mu_);
    finished_ = true;
}

}  // namespace rollcall::core
