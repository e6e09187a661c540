"""One analyzer per stored-video job kind; each turns a stream of frames into result items."""
