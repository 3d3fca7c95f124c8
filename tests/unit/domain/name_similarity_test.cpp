// R7.1: how alike a terminal's name for a user and a person's name are, as the mapping suggestions judge them.

#include "domain/name_similarity.hpp"

#include <gtest/gtest.h>

namespace rollcall::domain {
namespace {

TEST(NameSimilarity, AFoldedNameIsLowerCaseWithoutAccentsOrPunctuationAndItsWordsSorted) {
    EXPECT_EQ(FoldName("  Njeri,  AMÍNA "), "amina njeri");
    EXPECT_EQ(FoldName("José Ñúñez-García"), "garcia jose nunez");
    EXPECT_EQ(FoldName("O'Brien Łukasz"), "lukasz obrien") << "an apostrophe joins, a Polish Ł is an l";
    EXPECT_EQ(FoldName("Strauß Æbbe"), "aebbe strauss");
    EXPECT_EQ(FoldName("Zoe\xCC\x88"), "zoe") << "a combining diaeresis, as macOS writes it, is an accent too";
    EXPECT_EQ(FoldName("ИВАН"), "иван") << "another script keeps its letters, in lower case";
    EXPECT_EQ(FoldName("Ab\xFF"
                       "cd"),
              "ab cd")
        << "a byte that is not UTF-8 is a space";
    EXPECT_EQ(FoldName("...  "), "");
}

TEST(NameSimilarity, TheSameNameInAnotherCaseAccentOrOrderIsOne) {
    EXPECT_DOUBLE_EQ(NameSimilarity("Amina Njeri", "amina njeri"), 1.0);
    EXPECT_DOUBLE_EQ(NameSimilarity("Amina Njeri", "NJERI Amina"), 1.0);
    EXPECT_DOUBLE_EQ(NameSimilarity("Zoë Müller", "MULLER ZOE"), 1.0);
    EXPECT_DOUBLE_EQ(NameSimilarity("Amina   Njeri ", " Amina Njeri"), 1.0);
}

TEST(NameSimilarity, AClearlyDifferentNameIsLow) {
    EXPECT_LT(NameSimilarity("Amina Njeri", "Brian Otieno"), 0.2);
    EXPECT_LT(NameSimilarity("Kofi Mensah", "Zara Yusuf"), 0.2);
    EXPECT_DOUBLE_EQ(NameSimilarity("Amina", ""), 0.0) << "no name, no likeness";
    EXPECT_DOUBLE_EQ(NameSimilarity("Amina", "Tom"), 0.0);
}

TEST(NameSimilarity, ANameTheTerminalCutShortOrMisspeltStaysCloserThanSomeoneElse) {
    // The 28-byte layout keeps 8 bytes of a name; the 72-byte one 23.
    const double cut = NameSimilarity("Amina Ba", "Amina Bakari");
    EXPECT_GT(cut, 0.6);
    EXPECT_GT(cut, NameSimilarity("Amina Ba", "Brian Bakari"));
    const double typo = NameSimilarity("Amina Njery", "Amina Njeri");
    EXPECT_GT(typo, 0.8);
    EXPECT_LT(typo, 1.0);
    EXPECT_GT(NameSimilarity("Amina Wanjiru Njeri", "Amina Njeri"), 0.7) << "a middle name the terminal has";
}

TEST(NameSimilarity, ItIsSymmetricAndBigramsCountAsOftenAsBothNamesHaveThem) {
    EXPECT_DOUBLE_EQ(NameSimilarity("Anna Ann", "Ann"), NameSimilarity("Ann", "Anna Ann"));
    // "aa": " a", "aa", "a " against "aaaa": " a", "aa" x3, "a ": 2 x (1 + 1 + 1) / (3 + 5).
    EXPECT_DOUBLE_EQ(NameSimilarity("aa", "aaaa"), 6.0 / 8.0);
    EXPECT_DOUBLE_EQ(BigramSimilarity(NameBigrams("Amina"), NameBigrams("amina")), 1.0);
}

}  // namespace
}  // namespace rollcall::domain
