// Bounds that keep compilation and matching cheap whatever the pattern.

/** Deepest nesting of groups, classes, repetitions, concatenations and alternations (as the reference). */
export const NEST_LIMIT: i32 = 250;
export const NEST_LIMIT_EXCEEDED = "exceed the maximum number of nested parentheses/brackets (250)";

/**
 * Most NFA instructions one pattern may compile to. Path and query patterns cannot contain
 * counted repetitions (every `{...}` is a placeholder), so this only rejects patterns of many
 * thousands of characters; matching costs at most input length x program length steps.
 */
export const MAX_INSTRUCTIONS: i32 = 32768;
export const TOO_BIG = "compiled regex exceeds size limit (32768 instructions)";
