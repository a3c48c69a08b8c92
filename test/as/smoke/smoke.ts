export function greet(name: string): string { return "hi " + name; }
export function sum(xs: Array<i32>): i32 { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }
