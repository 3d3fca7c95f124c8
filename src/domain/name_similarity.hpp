#pragma once

// How alike two people's names are, for suggesting which person a terminal's user is (docs/rules.md R7.1). Names
// are compared as a school writes them and a terminal stores them: in any case, with or without accents, with the
// family name first or last, with extra spaces, sometimes cut short by the terminal's 8- or 23-byte name field.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::domain {

/// The name as compared: lower case, accents of Latin letters removed ("É" is "e", "ß" is "ss", "Ł" is "l"),
/// apostrophes dropped ("O'Brien" is "obrien"), every other character that is not a letter or a digit a space, and
/// the words sorted. "  Njeri,  AMÍNA " is "amina njeri". UTF-8 in and out; a byte that is not UTF-8 is a space.
std::string FoldName(std::string_view name);

/// The Sørensen-Dice coefficient of the two folded names' character bigrams, each word padded with a space at
/// both ends ("amina" is " a", "am", "mi", "in", "na", "a "), counted as multisets: 1 for the same words in any
/// order, case or accents, 0 for names with no bigram in common, and in between by the share of bigrams they
/// share. 0 when either name has no letter or digit.
double NameSimilarity(std::string_view a, std::string_view b);

/// A character bigram of a name: two code points in one number.
using Bigram = std::uint64_t;
/// The padded bigrams of a name, sorted: what NameSimilarity compares, for comparing one name with many.
std::vector<Bigram> NameBigrams(std::string_view name);
/// NameSimilarity of two names' NameBigrams: 2 x (bigrams in common, as multisets) / (bigrams of both).
double BigramSimilarity(const std::vector<Bigram>& a, const std::vector<Bigram>& b);

}  // namespace rollcall::domain
