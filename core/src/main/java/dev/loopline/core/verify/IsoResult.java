package dev.loopline.core.verify;

/** Isomorphic-check verdict on one claim. */
public record IsoResult(String claim, IsoVerdict verdict, String detail) {}
