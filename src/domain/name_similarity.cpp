#include "domain/name_similarity.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace rollcall::domain {
namespace {

// The letters of U+00C0..U+017F without their accents, one character each; a digit stands for two letters.
constexpr std::u32string_view kLatin =
    U"aaaaaa1ceeeeiiiidnooooo ouuuuy23aaaaaa1ceeeeiiiidnooooo ouuuuy2y"   // U+00C0..U+00FF
    U"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii44jjkkklllllll"   // U+0100..U+013F
    U"lllnnnnnnnnnoooooo55rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";  // U+0140..U+017F
static_assert(kLatin.size() == 0x180 - 0xC0);
constexpr std::u32string_view kPairs[] = {U"ae", U"th", U"ss", U"ij", U"oe"};

bool IsApostrophe(char32_t c) {
    return c == U'\'' || c == U'`' || c == 0x00B4 || c == 0x2018 || c == 0x2019 || c == 0x02BC;
}

/// Appends what `c` is in a folded name: a lower-case letter or digit, letters without their accent, nothing for
/// an apostrophe or a combining accent, a space for anything else.
void AppendFolded(std::u32string& out, char32_t c) {
    if ((c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9')) {
        out.push_back(c);
    } else if (c >= U'A' && c <= U'Z') {
        out.push_back(c - U'A' + U'a');
    } else if (IsApostrophe(c) || (c >= 0x0300 && c <= 0x036F)) {
        return;
    } else if (c >= 0x00C0 && c <= 0x017F) {
        const char32_t f = kLatin[c - 0x00C0];
        if (f >= U'1' && f <= U'5') {
            out += kPairs[f - U'1'];
        } else {
            out.push_back(f);
        }
    } else if (c >= 0x0391 && c <= 0x03A9) {  // Greek capitals
        out.push_back(c + 0x20);
    } else if (c >= 0x0410 && c <= 0x042F) {  // Cyrillic capitals
        out.push_back(c + 0x20);
    } else if (c >= 0x0400 && c <= 0x040F) {
        out.push_back(c + 0x50);
    } else if (c > 0x7F && !(c >= 0x00A0 && c <= 0x00BF) && !(c >= 0x2000 && c <= 0x206F) && c != 0xFFFD) {
        out.push_back(c);  // a letter of another script, as it is
    } else {
        out.push_back(U' ');
    }
}

/// The code points of UTF-8 text; a byte that starts no well-formed sequence is U+FFFD.
std::u32string Decode(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<std::uint8_t>(text[i]);
        std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
        char32_t c = length == 1 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
        bool ok = length != 0 && i + length <= text.size();
        for (std::size_t k = 1; ok && k < length; ++k) {
            const auto b = static_cast<std::uint8_t>(text[i + k]);
            ok = (b & 0xC0) == 0x80;
            c = (c << 6) | (b & 0x3F);
        }
        out.push_back(ok ? c : char32_t{0xFFFD});
        i += ok ? length : 1;
    }
    return out;
}

void AppendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

/// The folded name's words, sorted.
std::vector<std::u32string> Words(std::string_view name) {
    std::u32string folded;
    for (const char32_t c : Decode(name)) {
        AppendFolded(folded, c);
    }
    std::vector<std::u32string> words;
    std::u32string word;
    for (const char32_t c : folded) {
        if (c == U' ') {
            if (!word.empty()) {
                words.push_back(std::move(word));
                word.clear();
            }
        } else {
            word.push_back(c);
        }
    }
    if (!word.empty()) {
        words.push_back(std::move(word));
    }
    std::sort(words.begin(), words.end());
    return words;
}

}  // namespace

std::string FoldName(std::string_view name) {
    std::string out;
    for (const auto& word : Words(name)) {
        if (!out.empty()) {
            out.push_back(' ');
        }
        for (const char32_t c : word) {
            AppendUtf8(out, c);
        }
    }
    return out;
}

std::vector<Bigram> NameBigrams(std::string_view name) {
    std::vector<Bigram> out;
    for (const auto& word : Words(name)) {
        const std::u32string padded = U" " + word + U" ";
        for (std::size_t i = 0; i + 1 < padded.size(); ++i) {
            out.push_back((Bigram{padded[i]} << 32) | Bigram{padded[i + 1]});
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

double BigramSimilarity(const std::vector<Bigram>& a, const std::vector<Bigram>& b) {
    if (a.empty() || b.empty()) {
        return 0;
    }
    // Both sorted, so the intersection counts each bigram as often as the name with fewer of it has it.
    std::vector<Bigram> common;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
    return 2.0 * static_cast<double>(common.size()) / static_cast<double>(a.size() + b.size());
}

double NameSimilarity(std::string_view a, std::string_view b) {
    return BigramSimilarity(NameBigrams(a), NameBigrams(b));
}

}  // namespace rollcall::domain
