package io.syncro.functional;

/** A nested POJO with package-private fields and no equals of its own. */
public class Address {
  String street;
  int number;

  public Address() {}

  public Address(String street, int number) {
    this.street = street;
    this.number = number;
  }
}
