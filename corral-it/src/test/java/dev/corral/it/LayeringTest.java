package dev.corral.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of DESIGN.md §3, checked on the compiled classes of every module. */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.corral");
  }

  @Test
  void nothingDependsOnTheLauncher() {
    noClasses().that().resideOutsideOfPackage("dev.corral.dist..")
        .should().dependOnClassesThat().resideInAPackage("dev.corral.dist..")
        .check(classes);
  }

  @Test
  void onlyTheLauncherDependsOnTheGateway() {
    noClasses().that().resideOutsideOfPackages("dev.corral.gateway..", "dev.corral.dist..")
        .should().dependOnClassesThat().resideInAPackage("dev.corral.gateway..")
        .check(classes);
  }

  @Test
  void onlyTheLauncherDependsOnDiscovery() {
    noClasses().that().resideOutsideOfPackages("dev.corral.dns..", "dev.corral.dist..")
        .should().dependOnClassesThat().resideInAPackage("dev.corral.dns..")
        .check(classes);
  }

  /**
   * The VIP proxy runs on every agent and reads the master's table over HTTP, so it may know no scheduler,
   * master, agent or store: only discovery (which feeds it the table's routes) and the launcher use it.
   */
  @Test
  void theVipProxyDependsOnNoServerModule() {
    noClasses().that().resideInAPackage("dev.corral.vip..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.corral.api..", "dev.corral.state..",
            "dev.corral.master..", "dev.corral.agent..", "dev.corral.services..", "dev.corral.scheduler..",
            "dev.corral.dns..", "dev.corral.gateway..")
        .check(classes);
  }

  @Test
  void onlyDiscoveryAndTheLauncherDependOnTheVipProxy() {
    noClasses().that().resideOutsideOfPackages("dev.corral.vip..", "dev.corral.dns..", "dev.corral.dist..")
        .should().dependOnClassesThat().resideInAPackage("dev.corral.vip..")
        .check(classes);
  }

  @Test
  void onlyTheLauncherDependsOnTheUi() {
    noClasses().that().resideOutsideOfPackages("dev.corral.ui..", "dev.corral.dist..")
        .should().dependOnClassesThat().resideInAPackage("dev.corral.ui..")
        .check(classes);
  }

  @Test
  void theUiDependsOnNoOtherModule() {
    noClasses().that().resideInAPackage("dev.corral.ui..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.corral.common..", "dev.corral.api..",
            "dev.corral.state..", "dev.corral.master..", "dev.corral.agent..", "dev.corral.services..",
            "dev.corral.packages..", "dev.corral.gateway..", "dev.corral.scheduler..", "dev.corral.cli..")
        .check(classes);
  }

  @Test
  void theAgentNeverImportsTheMasterOrTheStore() {
    noClasses().that().resideInAPackage("dev.corral.agent..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.corral.master..", "dev.corral.state..",
            "dev.corral.services..", "dev.corral.scheduler..")
        .check(classes);
  }

  @Test
  void schedulersTalkToTheMasterOnlyThroughTheSchedulerApi() {
    noClasses().that().resideInAnyPackage("dev.corral.services..", "dev.corral.scheduler..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.corral.master..", "dev.corral.agent..")
        .check(classes);
  }

  @Test
  void theMasterKnowsNoScheduler() {
    noClasses().that().resideInAPackage("dev.corral.master..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.corral.services..", "dev.corral.scheduler..",
            "dev.corral.agent..")
        .check(classes);
  }

  @Test
  void theCliTalksHttpOnly() {
    noClasses().that().resideInAPackage("dev.corral.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.corral.master..", "dev.corral.agent..",
            "dev.corral.services..", "dev.corral.state..", "dev.corral.api..", "dev.corral.scheduler..")
        .check(classes);
  }

  @Test
  void simulatedAgentsSpeakOnlyTheAgentApi() {
    noClasses().that().resideInAPackage("dev.corral.sim..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.corral.master..", "dev.corral.agent..",
            "dev.corral.services..", "dev.corral.state..", "dev.corral.scheduler..")
        .check(classes);
  }

  @Test
  void commonDependsOnNoOtherModule() {
    noClasses().that().resideInAPackage("dev.corral.common..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.corral.api..", "dev.corral.state..",
            "dev.corral.master..", "dev.corral.agent..", "dev.corral.services..", "dev.corral.cli..")
        .check(classes);
  }
}
