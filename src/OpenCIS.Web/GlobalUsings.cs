// The staff roles are the core's names; screens, capabilities and setup name them as Roles.X.
global using Roles = OpenCIS.Core.Users.Roles;
