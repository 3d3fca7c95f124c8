// rollcall-agent: reads a school's TCP/IP terminals over the ZK protocol and uploads to the server
// (docs/agent.md). The command line lives in src/agent/agent_cli.cpp.

#include "agent/agent_cli.hpp"

int main(int argc, char** argv) {
    return rollcall::agent::RunAgentCli(argc, argv);
}
