# The two commands of the README. Both install whatever is missing first.
.PHONY: start test install

start:
	@./scripts/start.sh

test:
	@./scripts/test.sh

install:
	@./scripts/install.sh
