#include "agent/windows_service.hpp"

#include "core/wide_text.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

// aclapi.h and sddl.h need windows.h first.
// clang-format off
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
// clang-format on

namespace rollcall::agent {
namespace {

using core::Errc;
using core::MakeError;

using core::Widen;

core::Error Failure(const std::string& step) {
    const DWORD code = GetLastError();
    std::string reason;
    switch (code) {
        case ERROR_ACCESS_DENIED:
            reason = "access denied (run it from an administrator's command prompt)";
            break;
        case ERROR_SERVICE_EXISTS:
            reason = "a service of this name is already installed (uninstall it first)";
            break;
        case ERROR_SERVICE_DOES_NOT_EXIST:
            reason = "no service of this name is installed";
            break;
        case ERROR_FAILED_SERVICE_CONTROLLER_CONNECT:
            reason = "not started by the service control manager (use `sc start` or the Services console)";
            break;
        default:
            reason = "Windows error " + std::to_string(code);
    }
    return MakeError(Errc::kUnavailable, step + ": " + reason);
}

struct ScHandleCloser {
    void operator()(SC_HANDLE h) const { CloseServiceHandle(h); }
};
using ScHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ScHandleCloser>;

// The service control manager calls ServiceMain and the control handler without a context of ours.
struct ServiceState {
    std::wstring name;
    std::function<int()> run;
    std::function<void()> stop;
    std::atomic<bool> stopping{false};
    SERVICE_STATUS_HANDLE status_handle = nullptr;
    SERVICE_STATUS status{};
    std::mutex mutex;
};
ServiceState* g_service = nullptr;
constexpr DWORD kStopHintMs = 10000;

void Report(DWORD state, DWORD wait_hint_ms = 0, int exit_code = 0) {
    std::lock_guard lock(g_service->mutex);
    g_service->status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    g_service->status.dwCurrentState = state;
    g_service->status.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    g_service->status.dwWin32ExitCode = exit_code == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
    g_service->status.dwServiceSpecificExitCode = static_cast<DWORD>(exit_code);
    g_service->status.dwWaitHint = wait_hint_ms;
    g_service->status.dwCheckPoint =
        state == SERVICE_RUNNING || state == SERVICE_STOPPED ? 0 : g_service->status.dwCheckPoint + 1;
    SetServiceStatus(g_service->status_handle, &g_service->status);
}

DWORD WINAPI OnControl(DWORD control, DWORD, void*, void*) {
    switch (control) {
        case SERVICE_CONTROL_STOP:
        case SERVICE_CONTROL_SHUTDOWN:
            // A device read or an HTTP exchange in flight ends within its timeout (retry waits end at once);
            // ServiceMain keeps reporting progress until then. The spool keeps whatever was not uploaded.
            Report(SERVICE_STOP_PENDING, kStopHintMs);
            if (!g_service->stopping.exchange(true)) {
                g_service->stop();
            }
            return NO_ERROR;
        case SERVICE_CONTROL_INTERROGATE:
            return NO_ERROR;
        default:
            return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void WINAPI ServiceMain(DWORD, LPWSTR*) {
    g_service->status_handle = RegisterServiceCtrlHandlerExW(g_service->name.c_str(), OnControl, nullptr);
    if (g_service->status_handle == nullptr) {
        return;
    }
    Report(SERVICE_START_PENDING, 5000);
    Report(SERVICE_RUNNING);
    std::atomic<bool> done{false};
    int exit_code = 0;
    std::thread worker([&] {
        exit_code = g_service->run();
        done = true;
    });
    // Once a stop was asked for, a fresh check point every 2 s tells Windows the stop is progressing.
    auto next_report = std::chrono::steady_clock::now();
    while (!done) {
        Sleep(100);
        if (g_service->stopping && !done && std::chrono::steady_clock::now() >= next_report) {
            Report(SERVICE_STOP_PENDING, kStopHintMs);
            next_report = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        }
    }
    worker.join();
    Report(SERVICE_STOPPED, 0, exit_code);
}

std::wstring ThisExecutable() {
    std::vector<wchar_t> path(MAX_PATH);
    for (;;) {
        const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
        if (n < path.size()) {
            return std::wstring(path.data(), n);
        }
        path.resize(path.size() * 2);
    }
}

}  // namespace

core::Status InstallService(const std::string& name, const std::filesystem::path& config_path) {
    ScHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CREATE_SERVICE));
    if (!manager) {
        return Failure("install");
    }
    const std::wstring command = L"\"" + ThisExecutable() + L"\" --config \"" + config_path.wstring() +
                                 L"\" service --name \"" + Widen(name) + L"\"";
    const std::wstring wide_name = Widen(name);
    ScHandle service(CreateServiceW(manager.get(),
                                    wide_name.c_str(),
                                    L"Rollcall sync agent",
                                    SERVICE_ALL_ACCESS,
                                    SERVICE_WIN32_OWN_PROCESS,
                                    SERVICE_AUTO_START,
                                    SERVICE_ERROR_NORMAL,
                                    command.c_str(),
                                    nullptr,
                                    nullptr,
                                    nullptr,
                                    nullptr,
                                    nullptr));
    if (!service) {
        return Failure("install");
    }
    std::wstring text = L"Reads the school's attendance terminals and uploads their punches to Rollcall.";
    SERVICE_DESCRIPTIONW description{text.data()};
    ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_DESCRIPTION, &description);
    // Delayed: the network is usually up by then, so the first round does not start with a failed upload.
    SERVICE_DELAYED_AUTO_START_INFO delayed{TRUE};
    ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &delayed);
    // Restarted 10 s, 30 s and then 60 s after a crash; the count resets after a day without one.
    SC_ACTION actions[3] = {{SC_ACTION_RESTART, 10000}, {SC_ACTION_RESTART, 30000}, {SC_ACTION_RESTART, 60000}};
    SERVICE_FAILURE_ACTIONSW failure{};
    failure.dwResetPeriod = 86400;
    failure.cActions = 3;
    failure.lpsaActions = actions;
    ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS, &failure);
    return {};
}

core::Status UninstallService(const std::string& name) {
    ScHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!manager) {
        return Failure("uninstall");
    }
    const std::wstring wide_name = Widen(name);
    ScHandle service(OpenServiceW(manager.get(), wide_name.c_str(), SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE));
    if (!service) {
        return Failure("uninstall");
    }
    // Stop it (it may be stopping already, after `sc stop`), and give the round in flight up to a minute to
    // end, so the exe is free to replace or delete afterwards.
    SERVICE_STATUS status{};
    ControlService(service.get(), SERVICE_CONTROL_STOP, &status);
    bool stopped = false;
    for (int i = 0; i < 600; ++i) {
        if (!QueryServiceStatus(service.get(), &status) || status.dwCurrentState == SERVICE_STOPPED) {
            stopped = true;
            break;
        }
        Sleep(100);
    }
    if (!DeleteService(service.get())) {
        return Failure("uninstall");
    }
    if (!stopped) {
        return MakeError(Errc::kUnavailable,
                         "uninstall: the service did not stop within a minute; it is marked for removal and goes "
                         "once it stops (or at the next restart of Windows)");
    }
    return {};
}

core::Status RestrictToAdministrators(const std::filesystem::path& folder) {
    // Protected (no inherited entries); full control for SYSTEM and the Administrators, inherited by files and
    // subfolders.
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(
            L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)", SDDL_REVISION_1, &descriptor, nullptr)) {
        return Failure("restrict " + folder.string());
    }
    BOOL present = FALSE;
    BOOL defaulted = FALSE;
    PACL dacl = nullptr;
    GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted);
    std::wstring path = folder.wstring();
    const DWORD result = SetNamedSecurityInfoW(path.data(),
                                               SE_FILE_OBJECT,
                                               DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                               nullptr,
                                               nullptr,
                                               dacl,
                                               nullptr);
    LocalFree(descriptor);
    if (result != ERROR_SUCCESS) {
        SetLastError(result);
        return Failure("restrict " + folder.string());
    }
    return {};
}

core::Status RunAsService(const std::string& name, std::function<int()> run, std::function<void()> stop) {
    ServiceState state;
    state.name = Widen(name);
    state.run = std::move(run);
    state.stop = std::move(stop);
    g_service = &state;
    SERVICE_TABLE_ENTRYW table[] = {{state.name.data(), ServiceMain}, {nullptr, nullptr}};
    const bool dispatched = StartServiceCtrlDispatcherW(table);
    g_service = nullptr;
    if (!dispatched) {
        return Failure("service");
    }
    return {};
}

}  // namespace rollcall::agent
