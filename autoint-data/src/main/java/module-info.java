/**
 * Reading and encoding data: schemas, vocabularies, delimited files, MovieLens, splits and the feature
 * encoders a model bundle carries.
 */
module dev.autoint.data {
    requires transitive dev.autoint.core;
    requires transitive com.fasterxml.jackson.databind;
    requires java.net.http;

    exports dev.autoint.data;
    exports dev.autoint.data.movielens;
    exports dev.autoint.data.table;

    opens dev.autoint.data to com.fasterxml.jackson.databind;
    opens dev.autoint.data.movielens to com.fasterxml.jackson.databind;
    opens dev.autoint.data.table to com.fasterxml.jackson.databind;
}
