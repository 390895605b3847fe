"""The bottom layer: what a complaint is, what people say and how we read it, in any
language. Nothing here knows storage, the conversation engine or a platform."""
