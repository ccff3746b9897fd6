/** Pure rules of Loopline: no framework, no I/O inside a rule. */
package dev.loopline.core;
