// A separate process image for multi-process tests. Usage: door_test_helper MODE,
// with a control socket on descriptor 3.
int main() { return 0; }
