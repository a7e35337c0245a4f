// Placeholder: vendor calibration and data-bar metadata land here.
export {};
