/** metrics.json: what was evaluated and the metric values with intervals; atomic writes. */
package dev.autoint.eval.report;
