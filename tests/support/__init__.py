"""The test toolkit: one conversation driver for every channel, fake platform servers on
port 0, clocks the tests control, and waiting on conditions instead of fixed sleeps."""
