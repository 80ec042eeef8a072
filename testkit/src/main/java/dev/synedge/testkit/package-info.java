/**
 * Test support shared by every module, used only in test scope: kernel-feature requirements
 * that skip locally and fail on CI ({@link dev.synedge.testkit.KernelRequirement}), sysctl
 * changes that are always restored ({@link dev.synedge.testkit.Sysctl}), and the Netty leak
 * check that fails a test class whose buffers leaked ({@link dev.synedge.testkit.LeakCheck}).
 *
 * <p>Depends on JUnit's API and Netty's buffer module only, so that native-sockets can use it
 * without taking Netty into its main scope.
 */
package dev.synedge.testkit;
