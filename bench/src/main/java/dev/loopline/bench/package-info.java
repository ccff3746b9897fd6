/** JMH benchmarks and load drivers. Figures are reported in issue notes with the command used. */
package dev.loopline.bench;
