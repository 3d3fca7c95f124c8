#include "sim/sim_cli.hpp"

int main(int argc, char** argv) {
    return rollcall::sim::RunSimCli(argc, argv);
}
