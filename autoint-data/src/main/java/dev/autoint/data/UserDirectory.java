package dev.autoint.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The users a bundle knows: id (used in interactions and by scorers) ↔ raw key, and a profile to show
 * (for MovieLens gender, age, occupation, zip; for a table the user's latest values of the fields that do
 * not describe the item). Immutable and thread-safe.
 */
public final class UserDirectory {

    /**
     * One user.
     *
     * @param id      the user id used in interactions and by scorers
     * @param key     the user's value in the raw data
     * @param profile attributes to show, in display order
     */
    public record User(int id, String key, Map<String, String> profile) {
        /**
         * Copies the profile.
         *
         * @param id      the user id used in interactions and by scorers
         * @param key     the user's value in the raw data, not null
         * @param profile attributes to show, in display order; null for none; copied
         * @throws NullPointerException if {@code key} is null
         */
        public User {
            Objects.requireNonNull(key, "key");
            profile = Collections.unmodifiableMap(new LinkedHashMap<>(profile == null ? Map.of() : profile));
        }
    }

    private static final UserDirectory EMPTY = new UserDirectory(List.of());

    private final List<User> users;
    private final int[] ids;
    private final Map<String, Integer> byKey;

    /**
     * @param users distinct ids and keys, in ascending id order
     * @throws IllegalArgumentException if ids are not strictly ascending or two users share a key
     */
    public UserDirectory(List<User> users) {
        this.users = List.copyOf(users);
        this.ids = new int[this.users.size()];
        this.byKey = new HashMap<>(this.users.size() * 2);
        for (int i = 0; i < ids.length; i++) {
            User u = this.users.get(i);
            ids[i] = u.id();
            if (i > 0 && ids[i] <= ids[i - 1]) {
                throw new IllegalArgumentException("users must be in ascending id order without duplicates (id " + ids[i]
                        + " after " + ids[i - 1] + ")");
            }
            if (byKey.put(u.key(), u.id()) != null) throw new IllegalArgumentException("duplicate user key '" + u.key() + "'");
        }
    }

    /**
     * A directory without users (data that declares none).
     *
     * @return the shared empty directory
     */
    public static UserDirectory empty() {
        return EMPTY;
    }

    /**
     * The number of users.
     *
     * @return the count
     */
    public int size() {
        return users.size();
    }

    /**
     * Every user, in ascending id order.
     *
     * @return an unmodifiable list
     */
    public List<User> all() {
        return users;
    }

    /**
     * The user with this id, or null.
     *
     * @param id a user id
     * @return the user, or null when there is none
     */
    public User get(int id) {
        int i = Arrays.binarySearch(ids, id);
        return i >= 0 ? users.get(i) : null;
    }

    /**
     * The id of the user with this raw key, or -1.
     *
     * @param key the user's value in the raw data
     * @return the id, or -1 when no user has that key
     */
    public int idOf(String key) {
        Integer id = byKey.get(key);
        return id == null ? -1 : id;
    }
}
