package dev.autoint.data.movielens;

import java.util.Objects;

/**
 * One user's demographics, kept for recommendation and explanation.
 *
 * @param id         raw MovieLens user id
 * @param gender     "M" or "F"
 * @param age        age as in the file: the MovieLens-1M age-group code (1, 18, 25, 35, 45, 50, 56) or the
 *                   100K age in years
 * @param ageGroup   the MovieLens-1M age-group code (for 100K derived from the age), used as the feature
 * @param occupation occupation name (MovieLens-1M codes are mapped to their names, e.g. 10 to "K-12 student")
 * @param zip        zip code as in the file
 */
public record UserProfile(int id, String gender, int age, int ageGroup, String occupation, String zip) {

    /**
     * @param id         raw MovieLens user id
     * @param gender     "M" or "F", not null
     * @param age        age as in the file
     * @param ageGroup   the MovieLens-1M age-group code
     * @param occupation occupation name, not null
     * @param zip        zip code, not null
     * @throws NullPointerException if {@code gender}, {@code occupation} or {@code zip} is null
     */
    public UserProfile {
        Objects.requireNonNull(gender, "gender");
        Objects.requireNonNull(occupation, "occupation");
        Objects.requireNonNull(zip, "zip");
    }

    /**
     * The MovieLens-1M age-group code for an age in years: 1 (under 18), 18, 25, 35, 45, 50, 56 (56+).
     *
     * @param years an age in years
     * @return the group's code
     */
    public static int ageGroupOf(int years) {
        if (years < 18) return 1;
        if (years < 25) return 18;
        if (years < 35) return 25;
        if (years < 45) return 35;
        if (years < 50) return 45;
        if (years < 56) return 50;
        return 56;
    }
}
