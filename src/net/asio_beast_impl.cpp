// The one translation unit that compiles Asio and Beast (BOOST_*_SEPARATE_COMPILATION): every other
// user of them only parses the headers.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
