// Placeholder: the ImageJ AutoThresholder methods land here.
export {};
