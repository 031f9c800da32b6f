/** Command-line measurements: {@link dev.autoint.data.bench.LoadBenchmark} and {@link dev.autoint.data.bench.PrintCardinalities}. */
package dev.autoint.data.bench;
