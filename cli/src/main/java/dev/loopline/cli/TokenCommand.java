package dev.loopline.cli;

import picocli.CommandLine.Command;

/** The API tokens state-service issues; every subcommand needs an admin token. */
@Command(
        mixinStandardHelpOptions = true,
        name = "token",
        description = "Create, list and revoke API tokens (needs an admin token).",
        subcommands = {TokenCreateCommand.class, TokenListCommand.class, TokenRevokeCommand.class})
class TokenCommand {}
