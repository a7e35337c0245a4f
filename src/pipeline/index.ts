// Placeholder: filled in by the pipeline work.
export {};
