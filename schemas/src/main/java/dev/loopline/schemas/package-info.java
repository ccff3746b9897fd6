/** Event and spec contracts: JSON Schemas (canonical) and the Java records written against them. */
package dev.loopline.schemas;
