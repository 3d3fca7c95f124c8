// The Windows agent build has no compiled Boost.JSON or fmt libraries (none are packaged for mingw-w64):
// their implementations come from the header-only sources, compiled once here (cmake/RollcallWindowsAgent.cmake).

#include <boost/json/src.hpp>
