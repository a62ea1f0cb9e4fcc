import SwitchboardCommands

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(await SwitchboardCommand.main(arguments: Array(CommandLine.arguments.dropFirst())))
