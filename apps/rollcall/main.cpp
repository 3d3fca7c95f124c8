#include "app/cli.hpp"

int main(int argc, char** argv) {
    return rollcall::app::RunCli(argc, argv);
}
