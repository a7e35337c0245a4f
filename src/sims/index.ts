// Placeholder: filled in by the sims work.
export {};
