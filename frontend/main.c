#include <stdio.h>
int main(void) { puts("ringzero"); return 0; }
