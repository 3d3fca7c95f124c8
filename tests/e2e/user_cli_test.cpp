// `rollcall user ...` as the school's IT person uses it on the server host: a forgotten super-admin password is
// reset at a terminal that never shows what is typed, and the users and their status are listed.

#include "support/child_process.hpp"
#include "support/exit_status.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

namespace rollcall::test {
namespace {

/// What a terminal showed while a command ran on it, and how the command ended.
struct TerminalRun {
    std::string screen;
    int wait_status = -1;
    bool echo_at_exit = false;  ///< whether the terminal shows what is typed once the command has ended
};

/// Runs `argv` on a new pseudo-terminal, as a person at a keyboard: each answer is typed once the screen shows
/// its prompt, never before.
TerminalRun RunAtTerminal(const std::vector<std::string>& argv,
                          const std::vector<std::pair<std::string, std::string>>& dialogue) {
    int terminal = -1;
    const pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
    if (pid == 0) {
        std::vector<char*> args;
        args.reserve(argv.size() + 1);
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    TerminalRun run;
    std::size_t step = 0;
    std::size_t answered_up_to = 0;
    for (;;) {
        pollfd ready{terminal, POLLIN, 0};
        if (poll(&ready, 1, 60000) <= 0) {  // a deadline for a hung command, not a synchronisation
            break;
        }
        char buffer[512];
        const auto n = read(terminal, buffer, sizeof buffer);
        if (n <= 0) {
            break;  // EIO once the command has exited and closed the terminal
        }
        run.screen.append(buffer, static_cast<std::size_t>(n));
        while (step < dialogue.size()) {
            const auto at = run.screen.find(dialogue[step].first, answered_up_to);
            if (at == std::string::npos) {
                break;
            }
            answered_up_to = at + dialogue[step].first.size();
            const auto line = dialogue[step].second + "\n";
            EXPECT_EQ(write(terminal, line.data(), line.size()), static_cast<ssize_t>(line.size()));
            ++step;
        }
    }
    waitpid(pid, &run.wait_status, 0);
    termios after{};
    run.echo_at_exit = tcgetattr(terminal, &after) == 0 && (after.c_lflag & ECHO) != 0;
    close(terminal);
    return run;
}

std::vector<std::string> Rollcall(std::vector<std::string> args, const std::string& data_dir) {
    args.insert(args.begin(), ROLLCALL_BINARY);
    args.emplace_back("--data-dir");
    args.emplace_back(data_dir);
    return args;
}

int LoginStatus(std::uint16_t port, const std::string& password) {
    HttpClient http(port);
    return http.Post("/api/v1/auth/login", boost::json::object{{"email", "root@example.org"}, {"password", password}})
        .status;
}

TEST(UserCli, AForgottenSuperAdminPasswordIsResetAtTheTerminalWithoutShowingIt) {
    TempDir dir;
    ASSERT_TRUE(Exited(RunCommand(Rollcall({"init"}, dir.path())), 0));
    // A script gives the first password on stdin, as the README's tour does.
    const auto created =
        RunCommand(Rollcall({"user", "create", "--email", "root@example.org", "--role", "super_admin"}, dir.path()),
                   "the first password\n");
    ASSERT_TRUE(Exited(created, 0)) << created.err;

    // Typed twice differently: nothing changes.
    const auto typo =
        RunAtTerminal(Rollcall({"user", "reset-password", "--email", "root@example.org"}, dir.path()),
                      {{"New password for root@example.org", "remembered now"}, {"Type it again", "remembered n0w"}});
    EXPECT_TRUE(Exited(typo.wait_status, 1)) << typo.screen;
    EXPECT_NE(typo.screen.find("the two passwords differ; nothing changed"), std::string::npos) << typo.screen;

    const auto reset =
        RunAtTerminal(Rollcall({"user", "reset-password", "--email", "root@example.org"}, dir.path()),
                      {{"New password for root@example.org", "remembered now"}, {"Type it again", "remembered now"}});
    EXPECT_TRUE(Exited(reset.wait_status, 0)) << reset.screen;
    EXPECT_NE(reset.screen.find("every session of theirs has ended"), std::string::npos) << reset.screen;
    EXPECT_EQ(reset.screen.find("remembered"), std::string::npos) << "the terminal showed the password:\n"
                                                                  << reset.screen;

    EXPECT_TRUE(reset.echo_at_exit) << "the terminal shows what is typed again";

    // Ctrl-C at the prompt leaves the terminal as it was, and the password as it was.
    const auto interrupted =
        RunAtTerminal(Rollcall({"user", "reset-password", "--email", "root@example.org"}, dir.path()),
                      {{"New password for root@example.org", "half typ\x03"}});
    EXPECT_TRUE(WIFSIGNALED(interrupted.wait_status) && WTERMSIG(interrupted.wait_status) == SIGINT)
        << DescribeExit(interrupted.wait_status) << interrupted.screen;
    EXPECT_TRUE(interrupted.echo_at_exit) << "Ctrl-C left the terminal without echo";

    ServerProcess server(ROLLCALL_BINARY, {"--data-dir", dir.path(), "--set", "log.level=warn"});
    EXPECT_EQ(LoginStatus(server.port(), "the first password"), 401);
    EXPECT_EQ(LoginStatus(server.port(), "remembered now"), 200);
    EXPECT_TRUE(Exited(server.Stop(), 0));
}

TEST(UserCli, TheUsersAreListedWithTheirStatusAndTheLastSuperAdminCannotBeDisabled) {
    TempDir dir;
    ASSERT_TRUE(Exited(RunCommand(Rollcall({"init"}, dir.path())), 0));
    ASSERT_TRUE(Exited(
        RunCommand(Rollcall({"school", "create", "--name", "Hill School", "--timezone", "Africa/Nairobi"}, dir.path())),
        0));
    for (const auto& [email, role, school] :
         {std::tuple{"root@example.org", "super_admin", ""}, std::tuple{"head@hill.example", "school_admin", "1"}}) {
        auto args = Rollcall({"user", "create", "--email", email, "--role", role}, dir.path());
        if (*school != '\0') {
            args.insert(args.end(), {"--school", school});
        }
        const auto r = RunCommand(args, "long enough password\n");
        ASSERT_TRUE(Exited(r, 0)) << r.err;
    }
    const auto last = RunCommand(Rollcall({"user", "disable", "--email", "root@example.org"}, dir.path()));
    EXPECT_TRUE(Exited(last, 1)) << last.out;
    EXPECT_NE(last.err.find("last active super admin"), std::string::npos) << last.err;

    const auto disabled = RunCommand(Rollcall({"user", "disable", "--email", "HEAD@hill.example"}, dir.path()));
    ASSERT_TRUE(Exited(disabled, 0)) << disabled.err;
    EXPECT_NE(disabled.out.find("\"status\":\"inactive\""), std::string::npos) << disabled.out;

    const auto listed = RunCommand(Rollcall({"user", "list"}, dir.path()));
    ASSERT_TRUE(Exited(listed, 0)) << listed.err;
    EXPECT_NE(listed.out.find("root@example.org"), std::string::npos) << listed.out;
    const auto head_line = listed.out.substr(listed.out.find("head@hill.example"));
    EXPECT_NE(head_line.find("school_admin"), std::string::npos) << listed.out;
    EXPECT_NE(head_line.find("inactive"), std::string::npos) << listed.out;

    const auto unknown = RunCommand(Rollcall({"user", "enable", "--email", "nobody@example.org"}, dir.path()));
    EXPECT_TRUE(Exited(unknown, 1));
    EXPECT_NE(unknown.err.find("no user has the email nobody@example.org"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace rollcall::test
