package dev.loopline.schemas.events;

/** The {@code data} part of an event; one record per event type, named in the past tense. */
public sealed interface EventData
        permits TickTriggered, ChangeProposed, ChangeVerified, ChangeDecided, TickCompleted, ApprovalRecorded {}
