/**
 * Generic delimited files: a {@link dev.autoint.data.table.Schema} of {@link dev.autoint.data.table.FieldDef}s
 * (in code or JSON), a streaming {@link dev.autoint.data.table.DelimitedReader} producing a
 * {@link dev.autoint.data.table.RawTable}, and a train-fitted {@link dev.autoint.data.table.TableEncoder}.
 */
package dev.autoint.data.table;
