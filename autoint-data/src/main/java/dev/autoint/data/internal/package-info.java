/**
 * Not part of the API: the min-max scaler that the table and MovieLens encoders fit on a numeric column and save
 * with themselves. The module does not export this package; its classes are public only so that the encoders'
 * packages can use them, and they may change in any release.
 */
package dev.autoint.data.internal;
