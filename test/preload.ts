// Runs once before the test files. Tests never read the developer's own ./data directory.
process.env.TZ = "UTC";
